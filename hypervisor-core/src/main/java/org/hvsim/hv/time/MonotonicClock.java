package org.hvsim.hv.time;

/** System time from {@link System#nanoTime()}, zero at construction (boot). Thread-safe. */
public final class MonotonicClock implements HvClock {
    private final long origin = System.nanoTime();

    @Override
    public long now() {
        return System.nanoTime() - origin;
    }
}
