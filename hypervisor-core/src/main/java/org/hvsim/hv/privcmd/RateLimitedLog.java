package org.hvsim.hv.privcmd;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Log lines a peer can trigger: at most {@code linesPerWindow} per window of {@code windowNs};
 * the lines dropped in a window are counted in one line when the next window opens.
 * Threads: any (synchronized).
 */
final class RateLimitedLog {
    private final Logger logger;
    private final int linesPerWindow;
    private final long windowNs;
    private final LongSupplier nanoClock;

    private long windowStartNs;
    private int linesInWindow;
    private long suppressed;

    RateLimitedLog(Logger logger, int linesPerWindow, long windowNs, LongSupplier nanoClock) {
        if (linesPerWindow < 1 || windowNs < 1) {
            throw new IllegalArgumentException("linesPerWindow and windowNs must be positive");
        }
        this.logger = logger;
        this.linesPerWindow = linesPerWindow;
        this.windowNs = windowNs;
        this.nanoClock = nanoClock;
        this.windowStartNs = nanoClock.getAsLong();
    }

    /** Ten lines per ten seconds, on the system's monotonic clock. */
    static RateLimitedLog standard(Logger logger) {
        return new RateLimitedLog(logger, 10, 10_000_000_000L, System::nanoTime);
    }

    void warn(String format, Object... args) {
        if (admit()) {
            logger.warn(format, args);
        }
    }

    void error(String format, Object... args) {
        if (admit()) {
            logger.error(format, args);
        }
    }

    /** Lines dropped so far in the current window. */
    synchronized long suppressed() {
        return suppressed;
    }

    private synchronized boolean admit() {
        long now = nanoClock.getAsLong();
        if (now - windowStartNs >= windowNs) {
            if (suppressed > 0) {
                logger.warn("{} similar log lines suppressed in the last {} ms", suppressed,
                        (now - windowStartNs) / 1_000_000);
            }
            windowStartNs = now;
            linesInWindow = 0;
            suppressed = 0;
        }
        if (linesInWindow < linesPerWindow) {
            linesInWindow++;
            return true;
        }
        suppressed++;
        return false;
    }
}
