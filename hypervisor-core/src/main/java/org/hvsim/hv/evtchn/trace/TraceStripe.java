package org.hvsim.hv.evtchn.trace;

import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;

/**
 * One bounded buffer of trace records. A recorder only ever {@link ReentrantLock#tryLock tries} its
 * lock: if another thread holds it, the recorder goes to another stripe instead of waiting.
 *
 * <p>Threads: recorders ({@link #tryPut}) on any thread; the collector ({@link #drainTo}).
 */
final class TraceStripe {
    static final int PUT = 0;
    static final int BUSY = 1;
    static final int FULL = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final long[] words;
    /** Guarded by {@link #lock}. */
    private int used;

    TraceStripe(int capacityEvents) {
        this.words = new long[capacityEvents * EvtchnTraceRecord.WORDS];
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
            used += EvtchnTraceRecord.WORDS;
            return PUT;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets this stripe's records. */
    void clear() {
        lock.lock();
        try {
            used = 0;
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
            return end;
        } finally {
            lock.unlock();
        }
    }
}
