package org.hvsim.hv.console;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.hvsim.hv.time.HvClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hypervisor console: {@code printk} lines prefixed "(XEN) ", and domUs' CONSOLEIO_write output
 * line-buffered per domain and prefixed "(d&lt;id&gt;) " as a debug build of Xen prints it. Everything
 * goes to the {@link ConsoleRing} and to the hypervisor's log. Guest output is rate-limited per domain
 * (a burst, then a steady rate); suppressed lines are counted and reported once output resumes.
 * Thread-safe.
 */
public final class HvConsole {
    private static final Logger LOG = LoggerFactory.getLogger("hv.console");
    /** Longest line a guest can buffer before it is flushed (Xen flushes at 200 characters). */
    static final int GUEST_LINE_MAX = 200;
    static final int BURST_LINES = 100;
    static final long NS_PER_LINE = 10_000_000L;

    private final ConsoleRing ring;
    private final HvClock clock;
    private final Map<Integer, GuestBuffer> guests = new HashMap<>();
    private volatile Runnable onOutput = () -> {};

    public HvConsole(ConsoleRing ring, HvClock clock) {
        this.ring = ring;
        this.clock = clock;
    }

    public ConsoleRing ring() {
        return ring;
    }

    /** Called after new bytes reach the ring (the boot code raises VIRQ_CON_RING with it). */
    public void onOutput(Runnable callback) {
        this.onOutput = callback;
    }

    /** A hypervisor message, one or more lines. */
    public void printk(String message) {
        StringBuilder sb = new StringBuilder();
        for (String line : message.split("\n", -1)) {
            if (!line.isEmpty()) {
                sb.append("(XEN) ").append(line).append('\n');
                LOG.info("{}", line);
            }
        }
        emit(sb.toString());
    }

    /** CONSOLEIO_write from domain {@code domid}. */
    public void guestWrite(int domid, byte[] bytes) {
        StringBuilder out = new StringBuilder();
        synchronized (guests) {
            GuestBuffer g = guests.computeIfAbsent(domid, d -> new GuestBuffer());
            for (byte b : bytes) {
                if (b == '\n' || g.line.size() >= GUEST_LINE_MAX) {
                    flushLine(domid, g, out);
                    if (b == '\n') {
                        continue;
                    }
                }
                if (b != '\r') {
                    g.line.write(b);
                }
            }
        }
        if (!out.isEmpty()) {
            emit(out.toString());
        }
    }

    /** Drops a destroyed domain's partial line and rate-limit state. */
    public void forget(int domid) {
        synchronized (guests) {
            guests.remove(domid);
        }
    }

    private void flushLine(int domid, GuestBuffer g, StringBuilder out) {
        String text = g.line.toString(StandardCharsets.UTF_8);
        g.line.reset();
        long now = clock.now();
        g.tokens = Math.min(BURST_LINES, g.tokens + (now - g.lastRefill) / (double) NS_PER_LINE);
        g.lastRefill = now;
        if (g.tokens < 1) {
            g.suppressed++;
            return;
        }
        g.tokens -= 1;
        if (g.suppressed > 0) {
            out.append("(XEN) d").append(domid).append(": ").append(g.suppressed)
                    .append(" console lines suppressed (rate limit)\n");
            g.suppressed = 0;
        }
        out.append("(d").append(domid).append(") ").append(text).append('\n');
        LOG.info("(d{}) {}", domid, text);
    }

    private void emit(String text) {
        if (text.isEmpty()) {
            return;
        }
        ring.append(text);
        onOutput.run();
    }

    private final class GuestBuffer {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        double tokens = BURST_LINES;
        long lastRefill = clock.now();
        long suppressed;
    }
}
