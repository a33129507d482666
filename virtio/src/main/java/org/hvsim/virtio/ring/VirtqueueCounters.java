package org.hvsim.virtio.ring;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of what a device queue did and of each error its driver made. Threads: the queue's thread
 * increments; any thread (metrics, gRPC) reads.
 */
public final class VirtqueueCounters {

    private static final VirtqueueError[] ERRORS = VirtqueueError.values();

    private final AtomicLongArray errors = new AtomicLongArray(ERRORS.length);
    private final AtomicLongArray events = new AtomicLongArray(Event.values().length);

    /** Things a queue does, counted. */
    public enum Event {
        CHAIN_POPPED, USED_ADDED, NOTIFICATION_SENT, NOTIFICATION_SUPPRESSED
    }

    void count(VirtqueueError e) {
        errors.incrementAndGet(e.ordinal());
    }

    void count(Event e) {
        events.incrementAndGet(e.ordinal());
    }

    public long errors(VirtqueueError e) {
        return errors.get(e.ordinal());
    }

    public long totalErrors() {
        long n = 0;
        for (int i = 0; i < ERRORS.length; i++) {
            n += errors.get(i);
        }
        return n;
    }

    public long events(Event e) {
        return events.get(e.ordinal());
    }
}
