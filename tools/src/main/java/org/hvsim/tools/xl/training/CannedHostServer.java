package org.hvsim.tools.xl.training;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hvsim.tools.client.NettyDefaults;

/**
 * {@link CannedHost} served on a Unix socket the way dom0 serves its control plane (gRPC, netty epoll).
 *
 * <p>Threads: started and closed by one thread; requests on the server's event loop.
 */
public final class CannedHostServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Server server;
    private final Path socket;

    private CannedHostServer(EventLoopGroup group, Server server, Path socket) {
        this.group = group;
        this.server = server;
        this.socket = socket;
    }

    /** Serves the canned host on {@code socket} (which must not exist). */
    public static CannedHostServer start(Path socket) throws IOException {
        NettyDefaults.forCommandLine();
        CannedHost host = new CannedHost();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .channelType(EpollServerDomainSocketChannel.class)
                .directExecutor()
                .addService(host.domainService())
                .addService(host.hostService())
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        return new CannedHostServer(group, server, socket);
    }

    /**
     * Serves until killed or until the process that started it exits: {@code CannedHostServer <socket>}
     * (the training run's host, and a host to measure xl against).
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: CannedHostServer <socket path>");
            System.exit(2);
        }
        CannedHostServer server = start(Path.of(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        System.out.println("serving a canned host on " + args[0]);
        server.server.awaitTermination();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // a socket file left in a temporary directory is harmless
        }
    }
}
