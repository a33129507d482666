package org.hvsim.dom0.privcmd;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.EvtchnTraceControl;
import org.hvsim.proto.privcmd.Hello;
import org.hvsim.proto.privcmd.HypercallRequest;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.SchedTraceBatch;
import org.hvsim.proto.privcmd.SchedTraceControl;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;
import org.hvsim.proto.privcmd.VcpuRunstateResult;
import org.hvsim.proto.privcmd.Welcome;

/**
 * dom0's end of the privcmd channel: connects to the hypervisor's socket, proves itself with the
 * token the hypervisor gave this process, and then makes hypercalls for dom0's vCPUs and receives
 * their event upcalls.
 *
 * <p>Threads: {@link #hypercall} from any number of threads at once, each blocked until its own
 * result arrives; one netty event loop thread ({@code privcmd-client-*}) reads and writes the
 * socket; the upcall listener runs on a virtual thread of its own ({@code privcmd-upcalls}).
 */
public final class PrivcmdClient implements AutoCloseable {
    /** The environment variable that names the hypervisor's privcmd socket. */
    public static final String ENV_SOCKET = "HVSIM_PRIVCMD_SOCKET";
    /** The environment variable that holds this dom0's token. */
    public static final String ENV_TOKEN = "HVSIM_PRIVCMD_TOKEN";

    static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;

    private final EventLoopGroup group;
    private final Channel channel;
    private final ClientSession session;
    private final Welcome welcome;
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private PrivcmdClient(EventLoopGroup group, Channel channel, ClientSession session, Welcome welcome) {
        this.group = group;
        this.channel = channel;
        this.session = session;
        this.welcome = welcome;
    }

    /**
     * Connects to the socket the hypervisor named in this process's environment
     * ({@value #ENV_SOCKET}, {@value #ENV_TOKEN}).
     */
    public static PrivcmdClient connectFromEnvironment(Map<String, String> environment) throws IOException {
        String socket = environment.get(ENV_SOCKET);
        String token = environment.get(ENV_TOKEN);
        if (socket == null || socket.isEmpty() || token == null || token.isEmpty()) {
            throw new IOException(ENV_SOCKET + " and " + ENV_TOKEN
                    + " must both be set: dom0 is started by the hypervisor, which sets them");
        }
        return connect(Path.of(socket), token);
    }

    /**
     * Connects to the hypervisor's privcmd socket and performs the handshake: sends a Hello with
     * {@code token} and waits for the Welcome.
     *
     * @throws IOException if the socket cannot be reached or no Welcome comes in time
     * @throws PrivcmdClosedException if the hypervisor closes the connection instead (wrong token,
     *     or another dom0 is connected)
     */
    public static PrivcmdClient connect(Path socket, String token) throws IOException {
        Objects.requireNonNull(socket, "socket");
        if (token.getBytes(StandardCharsets.UTF_8).length > PrivcmdLimits.MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException(
                    "a privcmd token has at most " + PrivcmdLimits.MAX_TOKEN_BYTES + " bytes");
        }
        if (!Epoll.isAvailable()) {
            throw new IOException("the privcmd client needs netty's native epoll transport",
                    Epoll.unavailabilityCause());
        }
        ClientSession session = new ClientSession();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("privcmd-client", true), EpollIoHandler.newFactory());
        Channel channel = null;
        try {
            ChannelFuture connected = new Bootstrap()
                    .group(group)
                    .channel(EpollDomainSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) HANDSHAKE_TIMEOUT_MS)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            session.install(ch.pipeline());
                        }
                    })
                    .connect(new DomainSocketAddress(socket.toFile()))
                    .awaitUninterruptibly();
            if (!connected.isSuccess()) {
                throw new IOException("cannot connect to the privcmd socket " + socket, connected.cause());
            }
            channel = connected.channel();
            session.failAllWhenClosed(channel);
            channel.writeAndFlush(PrivcmdMessage.newBuilder()
                    .setHello(Hello.newBuilder().setToken(token).setPid(ProcessHandle.current().pid()))
                    .build(), channel.voidPromise());
            Welcome welcome = awaitWelcome(session.welcome(), socket);
            return new PrivcmdClient(group, channel, session, welcome);
        } catch (IOException | RuntimeException e) {
            session.closeCause().offer("the handshake failed");
            if (channel != null) {
                channel.close().awaitUninterruptibly();
            }
            shutdown(group);
            session.upcalls().close();
            throw e;
        }
    }

    /** The hypervisor's Welcome: dom0's domid, start_info address, machine memory and vCPUs. */
    public Welcome welcome() {
        return welcome;
    }

    /**
     * Makes hypercall {@code op} for dom0 vCPU {@code vcpu} and blocks until its result comes.
     * Uninterruptible, as a hypercall is: an interrupt is kept for the caller to see afterwards.
     *
     * @param args at most {@link PrivcmdLimits#MAX_HYPERCALL_ARGS}; guest-physical addresses among
     *     them point into dom0's own memory
     * @return the hypercall's result: {@code >= 0} on success, a negated Xen errno on failure
     * @throws PrivcmdClosedException if the channel closes before the result arrives, or is closed
     * @throws IllegalArgumentException if dom0 has no such vCPU, or there are too many arguments
     */
    public long hypercall(int vcpu, int op, long... args) {
        CompletableFuture<Long> result = hypercallAsync(vcpu, op, args);
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw new PrivcmdClosedException(cause.getMessage(), cause);
        }
    }

    /**
     * Makes hypercall {@code op} for dom0 vCPU {@code vcpu} without waiting: the future completes with its
     * result on the channel's event loop (so what depends on it must not block), or exceptionally with
     * {@link PrivcmdClosedException} if the channel closes first. Argument memory must stay as it is until then.
     *
     * @throws IllegalArgumentException if dom0 has no such vCPU, or there are too many arguments
     */
    public CompletableFuture<Long> hypercallAsync(int vcpu, int op, long... args) {
        if (vcpu < 0 || vcpu >= welcome.getNrVcpus()) {
            throw new IllegalArgumentException("dom0 has vCPUs 0 to " + (welcome.getNrVcpus() - 1) + ", not " + vcpu);
        }
        if (args.length > PrivcmdLimits.MAX_HYPERCALL_ARGS) {
            throw new IllegalArgumentException("a hypercall takes at most " + PrivcmdLimits.MAX_HYPERCALL_ARGS
                    + " arguments, not " + args.length);
        }
        long id = nextId.incrementAndGet();
        HypercallRequest.Builder request = HypercallRequest.newBuilder().setId(id).setVcpu(vcpu).setOp(op);
        for (long arg : args) {
            request.addArgs(arg);
        }
        CompletableFuture<Long> result = session.pending().register(id);
        channel.writeAndFlush(PrivcmdMessage.newBuilder().setHypercall(request).build(), channel.voidPromise());
        return result;
    }

    /**
     * Asks the hypervisor for a snapshot of domain {@code query.domid}'s event channels (the id is
     * set here). Completes with the result, or exceptionally with {@link PrivcmdClosedException}.
     */
    public CompletableFuture<EvtchnQueryResult> queryEvtchn(EvtchnQuery query) {
        long id = nextId.incrementAndGet();
        CompletableFuture<EvtchnQueryResult> result = session.queries().register(id);
        channel.writeAndFlush(PrivcmdMessage.newBuilder().setEvtchnQuery(query.toBuilder().setId(id)).build(),
                channel.voidPromise());
        return result;
    }

    /**
     * Asks the hypervisor for the runstate of every vCPU of domain {@code domid}. Completes with the
     * result (its error -ESRCH for an unknown domain), or exceptionally with {@link PrivcmdClosedException}.
     */
    public CompletableFuture<VcpuRunstateResult> queryRunstate(int domid) {
        long id = nextId.incrementAndGet();
        CompletableFuture<VcpuRunstateResult> result = session.runstates().register(id);
        channel.writeAndFlush(PrivcmdMessage.newBuilder()
                .setVcpuRunstateQuery(VcpuRunstateQuery.newBuilder().setId(id).setDomid(domid)).build(),
                channel.voidPromise());
        return result;
    }

    /** Tells the hypervisor what port {@code port} of {@code domid} is for (no answer comes). */
    public void labelEvtchn(int domid, int port, String label) {
        channel.writeAndFlush(PrivcmdMessage.newBuilder()
                .setEvtchnLabel(EvtchnLabel.newBuilder().setDomid(domid).setPort(port).setLabel(label))
                .build(), channel.voidPromise());
    }

    /**
     * Starts ({@code listener} not null) or stops the hypervisor's event channel trace. The listener
     * gets each batch on the channel's event loop and must not block.
     */
    public void traceEvtchn(Consumer<EvtchnTraceBatch> listener) {
        session.trace().set(listener);
        channel.writeAndFlush(PrivcmdMessage.newBuilder()
                .setEvtchnTraceControl(EvtchnTraceControl.newBuilder().setEnabled(listener != null))
                .build(), channel.voidPromise());
    }

    /**
     * Starts the hypervisor's scheduler trace with {@code listener}, or stops it ({@code null}). The
     * listener gets each batch on the channel's event loop and must not block.
     */
    public void traceSched(Consumer<SchedTraceBatch> listener) {
        session.schedTrace().set(listener);
        channel.writeAndFlush(PrivcmdMessage.newBuilder()
                .setSchedTraceControl(SchedTraceControl.newBuilder().setEnabled(listener != null))
                .build(), channel.voidPromise());
    }

    /**
     * Sets the listener for event upcalls, called with the dom0 vCPU that has an event pending, once
     * at a time, in arrival order, on a virtual thread of its own (never netty's event loop). It
     * should scan that vCPU's pending events and return; while it runs, further upcalls wait (at
     * most one per vCPU). Upcalls that arrived before the listener was set are delivered to it.
     *
     * @throws IllegalStateException if a listener was set already
     */
    public void onUpcall(Consumer<Integer> listener) {
        session.upcalls().start(Objects.requireNonNull(listener, "listener"));
    }

    /** Whether the channel is still open. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the channel: outstanding and later hypercalls fail with {@link PrivcmdClosedException};
     * stops the event loop and the upcall thread. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        session.closeCause().offer("the privcmd client was closed");
        channel.close().awaitUninterruptibly();
        shutdown(group);
        PrivcmdClosedException closedNow = new PrivcmdClosedException(session.closeCause().describe());
        session.pending().failAll(closedNow);
        session.queries().failAll(closedNow);
        session.runstates().failAll(closedNow);
        session.upcalls().close();
    }

    private static Welcome awaitWelcome(CompletableFuture<Welcome> welcome, Path socket) throws IOException {
        try {
            return welcome.get(HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new PrivcmdClosedException(cause.getMessage()
                    + " during the handshake (wrong token, or another dom0 is connected)", cause);
        } catch (TimeoutException e) {
            throw new IOException("no Welcome from the hypervisor on " + socket + " within "
                    + HANDSHAKE_TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the hypervisor's Welcome", e);
        }
    }

    private static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(2 * SHUTDOWN_TIMEOUT_MS);
    }
}
