package org.hvsim.hv.time;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: for deterministic scheduling tests and simulations. */
public final class ManualClock implements HvClock {
    private final AtomicLong now;

    public ManualClock(long start) {
        this.now = new AtomicLong(start);
    }

    @Override
    public long now() {
        return now.get();
    }

    public void advance(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("time does not go backwards: " + ns);
        }
        now.addAndGet(ns);
    }

    public void set(long ns) {
        now.updateAndGet(cur -> {
            if (ns < cur) {
                throw new IllegalArgumentException("time does not go backwards: " + ns + " < " + cur);
            }
            return ns;
        });
    }
}
