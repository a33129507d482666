package org.hvsim.hv.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One bounded buffer of trace records: the budget of records the threads that use it may take between
 * two collections. A recorder only ever {@link ReentrantLock#tryLock tries} its lock: if another thread
 * holds it, the recorder goes to another stripe instead of waiting. Once full, the stripe says so in a
 * flag, and a recorder that finds it set only counts a drop (an atomic add on this stripe): past the
 * budget, tracing costs a sender almost nothing.
 *
 * <p>Threads: recorders ({@link #tryPut}, {@link #isFull}, {@link #countDrop}) on any thread; the
 * collector ({@link #drainTo}, {@link #takeDropped}); {@link #clear} on the thread stopping the trace.
 */
public final class TraceStripe {
    static final int PUT = 0;
    static final int BUSY = 1;
    static final int FULL = 2;

    private static final VarHandle DROPPED;

    static {
        try {
            DROPPED = MethodHandles.lookup().findVarHandle(TraceStripe.class, "dropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final long[] words;
    /** Guarded by {@link #lock}. */
    private int used;
    private volatile boolean full;
    /** Drops ever counted here; only recorders write it, so the collector never loses an increment. */
    private volatile long dropped;
    /** {@link #dropped} as of the last {@link #takeDropped} or {@link #clear}; guarded by {@link #lock}. */
    private long reportedDrops;

    TraceStripe(int capacityEvents) {
        this.words = new long[capacityEvents * StripedTrace.WORDS];
    }

    boolean isFull() {
        return full;
    }

    /**
     * Counts a dropped record with a plain (opaque) increment, not an atomic one: a drop costs a
     * sender a few cycles. Two senders dropping on the same stripe at the same instant may count one;
     * the count is a lower bound, exact for one thread per stripe.
     */
    void countDrop() {
        DROPPED.setOpaque(this, (long) DROPPED.getOpaque(this) + 1L);
    }

    int tryPut(long w0, long w1, long w2) {
        if (!lock.tryLock()) {
            return BUSY;
        }
        try {
            if (used == words.length) {
                return FULL;
            }
            words[used] = w0;
            words[used + 1] = w1;
            words[used + 2] = w2;
            used += StripedTrace.WORDS;
            if (used == words.length) {
                full = true;
            }
            return PUT;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets this stripe's records and its drop count, and makes room again. */
    void clear() {
        lock.lock();
        try {
            used = 0;
            full = false;
            reportedDrops = dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Appends this stripe's records to {@code out} from {@code at} and empties it; returns the new end. */
    int drainTo(long[] out, int at) {
        lock.lock();
        try {
            System.arraycopy(words, 0, out, at, used);
            int end = at + used;
            used = 0;
            full = false;
            return end;
        } finally {
            lock.unlock();
        }
    }

    /** Drops counted since the last call. */
    long takeDropped() {
        lock.lock();
        try {
            long now = dropped;
            long lost = now - reportedDrops;
            reportedDrops = now;
            return lost;
        } finally {
            lock.unlock();
        }
    }
}
