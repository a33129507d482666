package org.hvsim.dom0.evtchn;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.WatchEventChannelsResponse;

/**
 * One client's watch: the events that pass its filter, queued up to {@value #MAX_QUEUED_EVENTS};
 * beyond that (the client reads too slowly) events are dropped and counted, and the next message
 * says how many. Nothing here ever waits for the client on the hub's thread.
 *
 * <p>Threads: {@link #offer} on the hub's dispatcher; {@link #next} on the watch's sender thread;
 * {@link #wake} and {@link #close} on gRPC threads.
 */
public final class EvtchnWatcher {
    public static final int MAX_QUEUED_EVENTS = 16_384;
    public static final int MAX_EVENTS_PER_MESSAGE = 512;

    private final WatchFilter filter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<EventChannelEvent> queue = new ArrayDeque<>();
    /** Guarded by {@link #lock}. */
    private long dropped;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    public EvtchnWatcher(WatchFilter filter) {
        this.filter = filter;
    }

    /** Queues the events of {@code events} that pass the filter; {@code lost} were lost before the hub. */
    void offer(List<EventChannelEvent> events, long lost) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            boolean any = lost > 0;
            dropped += lost;
            for (EventChannelEvent e : events) {
                if (filter.matches(e)) {
                    if (queue.size() < MAX_QUEUED_EVENTS) {
                        queue.add(e);
                    } else {
                        dropped++;
                    }
                    any = true;
                }
            }
            if (any) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next message to send: up to {@value #MAX_EVENTS_PER_MESSAGE} events and the count dropped
     * since the last message. Waits until there is one, {@code ready} says the client can take it,
     * or the watch is closed (then null).
     */
    public WatchEventChannelsResponse next(java.util.function.BooleanSupplier ready) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && (queue.isEmpty() && dropped == 0 || !ready.getAsBoolean())) {
                // Woken by offer, wake (the client became ready) and close; the timeout re-checks
                // readiness in case a wake-up raced the check.
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            if (closed) {
                return null;
            }
            WatchEventChannelsResponse.Builder b = WatchEventChannelsResponse.newBuilder().setDropped(dropped);
            dropped = 0;
            for (int i = 0; i < MAX_EVENTS_PER_MESSAGE && !queue.isEmpty(); i++) {
                b.addEvents(queue.poll());
            }
            return b.build();
        } finally {
            lock.unlock();
        }
    }

    /** The client may be able to take more now. */
    public void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the watch: {@link #next} returns null. Idempotent. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code next} would return null. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Events waiting to be sent; for tests. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
