package org.hvsim.dom0.blkback;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one virtio-blk device answered and what its frontend got wrong, counted. The ring's own counts
 * (chains popped, errors per kind) are in the queue's {@code VirtqueueCounters}; these are the device's.
 *
 * <p>Threads: the device thread and its workers count; any thread reads.
 */
public final class BlkbackCounters {

    /** What a request or chain came to. */
    public enum Event {
        /** A request answered VIRTIO_BLK_S_OK. */
        OK,
        /** A request answered VIRTIO_BLK_S_IOERR (bad shape, past the end, write to a read-only disk, I/O error). */
        IOERR,
        /** A request answered VIRTIO_BLK_S_UNSUPP. */
        UNSUPP,
        /** A chain the ring refused (loop, too long, bad address, ...), returned unused. */
        BAD_CHAIN,
        /** A chain with no device-writable status byte, returned unused. */
        UNANSWERABLE,
        /** A broken ring: the device set DEVICE_NEEDS_RESET. */
        NEEDS_RESET,
        /** An I/O error of the image. */
        IMAGE_ERROR,
        /** Used-buffer notifications sent to the frontend. */
        NOTIFY_SENT,
        /** Times the device thread parked waiting for a kick. */
        PARKED,
        /** Available-buffer notifications (kicks) from the frontend. */
        KICKED
    }

    private final Map<Event, LongAdder> counts = new EnumMap<>(Event.class);

    public BlkbackCounters() {
        for (Event e : Event.values()) {
            counts.put(e, new LongAdder());
        }
    }

    public void count(Event e) {
        counts.get(e).increment();
    }

    public long get(Event e) {
        return counts.get(e).sum();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Event e : Event.values()) {
            b.append(b.isEmpty() ? "" : " ").append(e.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(get(e));
        }
        return b.toString();
    }
}
