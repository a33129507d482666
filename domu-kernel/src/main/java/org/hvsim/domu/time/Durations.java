package org.hvsim.domu.time;

/** Integer nanoseconds as people read them, without floating point. */
public final class Durations {
    public static final long NS_PER_MS = 1_000_000L;

    private Durations() {}

    /** {@code ns} as milliseconds with three decimals, e.g. {@code 12.345 ms}. */
    public static String millis(long ns) {
        long us = Math.floorDiv(ns, 1_000L);
        return Math.floorDiv(us, 1_000L) + "." + String.format("%03d", Math.floorMod(us, 1_000L)) + " ms";
    }
}
