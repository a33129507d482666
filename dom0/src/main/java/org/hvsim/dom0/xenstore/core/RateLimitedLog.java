package org.hvsim.dom0.xenstore.core;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Log lines a client can trigger: at most {@code linesPerWindow} per window of {@code windowNs}; lines
 * dropped in a window are counted in one line when the next window opens. Threads: any (synchronized).
 */
public final class RateLimitedLog {
    private final Logger logger;
    private final int linesPerWindow;
    private final long windowNs;
    private final LongSupplier nanoClock;
    private long windowStart;
    private int lines;
    private long suppressed;

    public RateLimitedLog(Logger logger, int linesPerWindow, long windowNs, LongSupplier nanoClock) {
        if (linesPerWindow < 1 || windowNs < 1) {
            throw new IllegalArgumentException("linesPerWindow and windowNs must be positive");
        }
        this.logger = logger;
        this.linesPerWindow = linesPerWindow;
        this.windowNs = windowNs;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    /** Ten lines per ten seconds on the monotonic clock. */
    public static RateLimitedLog standard(Logger logger) {
        return new RateLimitedLog(logger, 10, 10_000_000_000L, System::nanoTime);
    }

    public void warn(String format, Object... args) {
        if (admit()) {
            logger.warn(format, args);
        }
    }

    public void info(String format, Object... args) {
        if (admit()) {
            logger.info(format, args);
        }
    }

    /** Lines dropped in the current window. */
    public synchronized long suppressed() {
        return suppressed;
    }

    private synchronized boolean admit() {
        long now = nanoClock.getAsLong();
        if (now - windowStart >= windowNs) {
            if (suppressed > 0) {
                logger.warn("{} similar log lines suppressed in the last {} ms", suppressed, (now - windowStart) / 1_000_000);
            }
            windowStart = now;
            lines = 0;
            suppressed = 0;
        }
        if (lines < linesPerWindow) {
            lines++;
            return true;
        }
        suppressed++;
        return false;
    }
}
