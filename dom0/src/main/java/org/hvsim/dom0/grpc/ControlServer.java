package org.hvsim.dom0.grpc;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.evtchn.EvtchnWatchHub;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.dom0.trace.SchedTraceRecorder;

/**
 * The gRPC control plane on {@code $HVSIM_HOME/control.sock}: DomainService, HostService,
 * EventChannelService, SchedulerService, TraceService, health and
 * server reflection (v1). The socket is bound inside a private directory, given mode 0600, and only
 * then renamed into place, so no other user can ever connect. Calls run on virtual threads.
 */
public final class ControlServer implements AutoCloseable {
    private final Server server;
    private final EventLoopGroup group;
    private final ExecutorService executor;
    private final HealthStatusManager health;
    private final Path socket;
    private final EvtchnWatchHub watchHub;

    private ControlServer(Server server, EventLoopGroup group, ExecutorService executor, HealthStatusManager health,
            Path socket, EvtchnWatchHub watchHub) {
        this.watchHub = watchHub;
        this.server = server;
        this.group = group;
        this.executor = executor;
        this.health = health;
        this.socket = socket;
    }

    public static ControlServer start(Path socket, Toolstack ts, Xenconsoled consoles, long dom0Start,
            SchedTraceRecorder.Source schedTrace) throws IOException {
        Files.deleteIfExists(socket);
        Path dir = Files.createTempDirectory(socket.getParent(), ".control-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path bound = dir.resolve("control.sock");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HealthStatusManager health = new HealthStatusManager();
        EvtchnWatchHub watchHub = new EvtchnWatchHub(ts.platform().evtchnInspector());
        health.setStatus("", ServingStatus.NOT_SERVING);
        Server server;
        try {
            server = NettyServerBuilder.forAddress(new DomainSocketAddress(bound.toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(group).workerEventLoopGroup(group)
                    .executor(executor)
                    .addService(new DomainServiceImpl(ts, consoles, dom0Start))
                    .addService(new HostServiceImpl(ts))
                    .addService(new SchedulerServiceImpl(ts))
                    .addService(new EventChannelServiceImpl(ts, ts.platform().evtchnInspector(), watchHub))
                    .addService(new TraceServiceImpl(ts, new SchedTraceRecorder(schedTrace)))
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance())
                    .build().start();
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(bound);
            Files.deleteIfExists(dir);
        }
        return new ControlServer(server, group, executor, health, socket, watchHub);
    }

    /** Reports the host ready (health SERVING): dom0 has recovered or started and serves requests. */
    public void serving() {
        health.setStatus("", ServingStatus.SERVING);
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        health.enterTerminalState();
        watchHub.close();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        executor.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // The state directory is going away.
        }
    }
}
