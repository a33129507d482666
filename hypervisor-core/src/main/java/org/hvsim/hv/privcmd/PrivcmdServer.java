package org.hvsim.hv.privcmd;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hypervisor's end of the privcmd channel: a Unix domain socket (mode 0600) on which the dom0
 * process authenticates with its token, makes its hypercalls and receives its event upcalls. One
 * dom0 session at a time; when it ends, a restarted dom0 may connect.
 *
 * <p>Threads: {@link #start} and {@link #close} from the hypervisor's control thread;
 * {@link #sendUpcall} from any thread; one event loop thread ({@code privcmd-server-*}) runs every
 * connection's pipeline and never blocks; each hypercall runs on a virtual thread of its own
 * ({@code privcmd-hypercall-*}).
 */
public final class PrivcmdServer implements AutoCloseable {
    /** The environment variable that tells the dom0 process where the socket is. */
    public static final String ENV_SOCKET = "HVSIM_PRIVCMD_SOCKET";
    /** The environment variable that gives the dom0 process its token. */
    public static final String ENV_TOKEN = "HVSIM_PRIVCMD_TOKEN";

    private static final Logger LOG = LoggerFactory.getLogger(PrivcmdServer.class);
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;

    private final PrivcmdSocketFile socketFile;
    private final EventLoopGroup group;
    private final ExecutorService hypercallExecutor;
    private final SessionSlot slot;
    private final PrivcmdCounters counters;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PrivcmdServer(PrivcmdSocketFile socketFile, EventLoopGroup group, ExecutorService hypercallExecutor,
            SessionSlot slot, PrivcmdCounters counters, Channel serverChannel, ChannelGroup connections) {
        this.socketFile = socketFile;
        this.group = group;
        this.hypercallExecutor = hypercallExecutor;
        this.slot = slot;
        this.counters = counters;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Creates the socket and starts accepting dom0.
     *
     * @throws IOException if the socket cannot be created (path in use, too long, not writable) or
     *     epoll is unavailable
     */
    public static PrivcmdServer start(PrivcmdServerConfig config, Dom0HypercallHandler handler,
            Dom0SessionListener listener) throws IOException {
        return start(config, handler, Dom0Inspection.NONE, listener);
    }

    /**
     * Creates the socket and starts accepting dom0, which may also inspect event channels through
     * {@code inspection}.
     *
     * @throws IOException if the socket cannot be created (path in use, too long, not writable) or
     *     epoll is unavailable
     */
    public static PrivcmdServer start(PrivcmdServerConfig config, Dom0HypercallHandler handler,
            Dom0Inspection inspection, Dom0SessionListener listener) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(inspection, "inspection");
        Objects.requireNonNull(listener, "listener");
        if (!Epoll.isAvailable()) {
            throw new IOException("the privcmd server needs netty's native epoll transport",
                    Epoll.unavailabilityCause());
        }
        PrivcmdSocketFile socketFile = PrivcmdSocketFile.prepare(config.socketPath());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("privcmd-server", true), EpollIoHandler.newFactory());
        ExecutorService hypercallExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("privcmd-hypercall-", 0).factory());
        SessionSlot slot = new SessionSlot();
        PrivcmdCounters counters = new PrivcmdCounters();
        ChannelGroup connections = new DefaultChannelGroup("privcmd-connections", group.next());
        ServerContext context = new ServerContext(config.token(), config.welcome(), slot, handler, inspection,
                hypercallExecutor, listener, counters, RateLimitedLog.standard(LOG), config.helloTimeoutNs(),
                config.maxInFlight());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        64, 1024, PrivcmdLimits.MAX_FRAME_BYTES))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        PrivcmdLimits.MAX_FRAME_BYTES, 4 * PrivcmdLimits.MAX_FRAME_BYTES))
                .childHandler(new PrivcmdChannelInitializer(context, connections));
        ChannelFuture bound = bootstrap.bind(new DomainSocketAddress(socketFile.bindPath().toFile()))
                .awaitUninterruptibly();
        try {
            if (!bound.isSuccess()) {
                throw new IOException("cannot bind the privcmd socket " + config.socketPath(), bound.cause());
            }
            socketFile.publish();
        } catch (IOException | RuntimeException e) {
            shutdown(bound.channel(), connections, group, hypercallExecutor);
            socketFile.delete();
            throw e;
        }
        LOG.info("privcmd server listening on {}", socketFile.path());
        return new PrivcmdServer(socketFile, group, hypercallExecutor, slot, counters, bound.channel(), connections);
    }

    /**
     * Sends dom0 vCPU {@code vcpu} an event upcall, if a dom0 session is established; otherwise does
     * nothing. An upcall already waiting to be written for that vCPU stands for this one too.
     *
     * @throws IndexOutOfBoundsException if dom0 has no vCPU {@code vcpu}
     */
    public void sendUpcall(int vcpu) {
        Dom0Session session = slot.established();
        if (session != null) {
            session.upcalls().raise(vcpu);
        }
    }

    /** Whether a dom0 session is established. */
    public boolean dom0Connected() {
        return slot.established() != null;
    }

    /** The socket's path. */
    public Path socketPath() {
        return socketFile.path();
    }

    public PrivcmdCounters counters() {
        return counters;
    }

    /**
     * Closes the socket and the dom0 session, interrupts running hypercalls, stops the event loop and
     * deletes the socket file. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutdown(serverChannel, connections, group, hypercallExecutor);
        try {
            socketFile.delete();
        } catch (IOException e) {
            LOG.warn("cannot delete the privcmd socket {}", socketFile.path(), e);
        }
        LOG.info("privcmd server on {} closed", socketFile.path());
    }

    private static void shutdown(Channel serverChannel, ChannelGroup connections, EventLoopGroup group,
            ExecutorService hypercallExecutor) {
        // Connections are closed while the event loop still runs, so their close listeners (the
        // session's end) run too; only then is the loop stopped.
        serverChannel.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
        hypercallExecutor.shutdownNow();
        if (!group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(2 * SHUTDOWN_TIMEOUT_MS)) {
            LOG.warn("the privcmd event loop did not stop within {} ms", 2 * SHUTDOWN_TIMEOUT_MS);
        }
        try {
            if (!hypercallExecutor.awaitTermination(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("privcmd hypercalls still running {} ms after they were interrupted", SHUTDOWN_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
