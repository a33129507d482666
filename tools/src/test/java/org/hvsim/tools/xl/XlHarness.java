package org.hvsim.tools.xl;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.hvsim.tools.evtchn.FakeEventChannelService;
import org.hvsim.tools.xl.console.Terminal;

/**
 * Runs xl in-process against a {@link FakeHost} served by gRPC's in-process transport (direct executor),
 * capturing stdout and stderr.
 */
final class XlHarness implements AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    final FakeHost host = new FakeHost();
    final FakeEventChannelService evtchn = new FakeEventChannelService();
    final FakeInterrupts interrupts = new FakeInterrupts();
    final FakeSchedulerService scheduler = new FakeSchedulerService();
    final AtomicInteger connections = new AtomicInteger();
    private final String name = "xl-test-" + NAMES.incrementAndGet();
    private final Server server;
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    Terminal terminal = new FakeTerminal(false);

    XlHarness() throws IOException {
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(host.domainService()).addService(host.hostService()).addService(evtchn)
                .addService(scheduler)
                .build().start();
    }

    /** What one xl invocation did. */
    record Result(int exit, String out, String err, byte[] rawOut) {
    }

    ControlPlaneConnector connector() {
        return () -> {
            connections.incrementAndGet();
            ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
            return new ControlPlane(channel, "/fake/control.sock", () -> { });
        };
    }

    Result run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    Result run(InputStream in, String... args) {
        return run(connector(), in, args);
    }

    Result run(ControlPlaneConnector connector, InputStream in, String... args) {
        return run(connector, in, new StringWriter(), args);
    }

    /** As {@link #run(String...)}, writing stdout into {@code out}, where a test can watch it as xl runs. */
    Result run(StringWriter out, String... args) {
        return run(connector(), new ByteArrayInputStream(new byte[0]), out, args);
    }

    private Result run(ControlPlaneConnector connector, InputStream in, StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        OutputStream rawOut = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                raw.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                raw.write(b, off, len);
            }
        };
        int exit;
        try (XlEnvironment env = new XlEnvironment(new PrintWriter(out), new PrintWriter(err), rawOut, in, connector,
                clock, terminal, interrupts)) {
            exit = XlCommandLine.run(env, args);
        }
        byte[] rawBytes;
        synchronized (rawOut) {
            rawBytes = raw.toByteArray();
        }
        return new Result(exit, out.toString(), err.toString(), rawBytes);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Ctrl-C on demand: {@link #fire} runs what the command registered, as the JVM's shutdown hook would. */
    static final class FakeInterrupts implements Interrupts {
        private volatile Runnable action;

        @Override
        public Registration onInterrupt(Runnable onInterrupt) {
            action = onInterrupt;
            return () -> action = null;
        }

        boolean registered() {
            return action != null;
        }

        void fire() {
            Runnable a = action;
            if (a == null) {
                throw new AssertionError("nothing is registered for an interrupt");
            }
            a.run();
        }
    }

    /** A terminal that records raw mode instead of running stty. */
    static final class FakeTerminal implements Terminal {
        private final boolean isTerminal;
        volatile int rawEntered;
        volatile int rawRestored;

        FakeTerminal(boolean isTerminal) {
            this.isTerminal = isTerminal;
        }

        @Override
        public boolean stdinIsTerminal() {
            return isTerminal;
        }

        @Override
        public RawMode enterRawMode() {
            rawEntered++;
            return () -> rawRestored++;
        }
    }
}
