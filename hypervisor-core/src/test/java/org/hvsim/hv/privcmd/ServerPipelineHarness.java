package org.hvsim.hv.privcmd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.Welcome;
import org.slf4j.LoggerFactory;

/**
 * The real server pipeline on EmbeddedChannels that share one server context: a token, a Welcome
 * for a 4-vCPU dom0, a session slot, and a hypercall handler and executor chosen by the test.
 */
final class ServerPipelineHarness {
    static final String TOKEN = "the-right-token";
    static final int NR_VCPUS = 4;
    static final Welcome WELCOME = Welcome.newBuilder()
            .setDomid(0)
            .setStartInfoMfn(0x1000)
            .setMachineMemoryPath("/dev/shm/hvsim-test")
            .setMachineMemoryBytes(1 << 30)
            .setNrVcpus(NR_VCPUS)
            .setDom0Generation(1)
            .build();
    static final long HELLO_TIMEOUT_NS = 5_000_000_000L;

    final List<String> sessionEvents = new CopyOnWriteArrayList<>();
    final AtomicInteger welcomesSupplied = new AtomicInteger();
    final PrivcmdCounters counters = new PrivcmdCounters();
    final ServerContext context;

    /** Calls run inline on the thread that decodes them; the handler returns {@code op + sum(args)}. */
    ServerPipelineHarness() {
        this(ServerPipelineHarness::sumHandler, Runnable::run, PrivcmdLimits.DEFAULT_MAX_IN_FLIGHT);
    }

    ServerPipelineHarness(Dom0HypercallHandler handler, Executor executor, int maxInFlight) {
        this(handler, Dom0Inspection.NONE, executor, maxInFlight);
    }

    ServerPipelineHarness(Dom0HypercallHandler handler, Dom0Inspection inspection, Executor executor,
            int maxInFlight) {
        Dom0SessionListener listener = new Dom0SessionListener() {
            @Override
            public void connected(long dom0Pid) {
                sessionEvents.add("connected " + dom0Pid);
            }

            @Override
            public void disconnected(long dom0Pid) {
                sessionEvents.add("disconnected " + dom0Pid);
            }
        };
        this.context = new ServerContext(new PrivcmdToken(TOKEN), () -> {
            welcomesSupplied.incrementAndGet();
            return WELCOME;
        }, new SessionSlot(), handler, inspection, executor, listener, counters,
                RateLimitedLog.standard(LoggerFactory.getLogger(ServerPipelineHarness.class)),
                HELLO_TIMEOUT_NS, maxInFlight);
    }

    static long sumHandler(int vcpu, int op, long[] args) {
        long sum = op;
        for (long arg : args) {
            sum += arg;
        }
        return sum;
    }

    EmbeddedChannel newChannel() {
        return newChannel(context);
    }

    /** A channel with the server pipeline of {@code server}. */
    static EmbeddedChannel newChannel(ServerContext server) {
        return new EmbeddedChannel(new PrivcmdChannelInitializer(server,
                new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE)));
    }

    /** A channel that has completed the handshake (its Welcome read and checked). */
    EmbeddedChannel authenticatedChannel(long pid) {
        EmbeddedChannel channel = newChannel();
        write(channel, PrivcmdWire.frame(PrivcmdWire.hello(TOKEN, pid)));
        List<PrivcmdMessage> out = readOutbound(channel);
        if (out.size() != 1 || !out.getFirst().getWelcome().equals(WELCOME)) {
            throw new AssertionError("no Welcome after a good Hello: " + out);
        }
        return channel;
    }

    static void write(EmbeddedChannel channel, byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
    }

    /** Everything the server wrote so far, parsed as frames. */
    static List<PrivcmdMessage> readOutbound(EmbeddedChannel channel) {
        channel.runPendingTasks();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            byte[] chunk = new byte[buf.readableBytes()];
            buf.readBytes(chunk);
            buf.release();
            bytes.writeBytes(chunk);
        }
        return PrivcmdWire.parseFrames(bytes.toByteArray());
    }

    HypercallRelay relay(EmbeddedChannel channel) {
        return (HypercallRelay) channel.pipeline().get("hypercalls");
    }

    /** Executor that holds tasks until the test runs them. */
    static final class HeldExecutor implements Executor {
        final List<Runnable> held = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            held.add(task);
        }

        void runOne() {
            held.removeFirst().run();
        }
    }
}
