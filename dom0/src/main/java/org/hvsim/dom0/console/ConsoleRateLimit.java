package org.hvsim.dom0.console;

/**
 * How fast xenconsoled reads one domain's console: a token bucket of bytes. A guest that writes faster
 * fills its ring and waits (the ring is the backpressure); nothing is dropped, and a flooding guest
 * costs dom0 a bounded share. Threads: the console connection's monitor guards it.
 */
final class ConsoleRateLimit {
    static final long BYTES_PER_SECOND = 1 << 20;
    static final long BURST = 64 * 1024;

    private final java.util.function.LongSupplier nanoClock;
    private double tokens = BURST;
    private long last;

    ConsoleRateLimit(java.util.function.LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.last = nanoClock.getAsLong();
    }

    /** How many of {@code wanted} bytes may be read now (consumes them). */
    int take(int wanted) {
        long now = nanoClock.getAsLong();
        tokens = Math.min(BURST, tokens + (now - last) * (BYTES_PER_SECOND / 1e9));
        last = now;
        int n = (int) Math.min(wanted, Math.floor(tokens));
        tokens -= n;
        return n;
    }
}
