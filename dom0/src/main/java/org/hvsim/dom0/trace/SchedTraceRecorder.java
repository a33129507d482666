package org.hvsim.dom0.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.hvsim.proto.privcmd.SchedTraceBatch;

/**
 * Runs the hypervisor's scheduler trace for one recording at a time, as Xen's trace buffers have one
 * consumer: {@link #begin} starts the trace with a fresh {@link Recording}, whose close stops it.
 * Batches arrive on the privcmd event loop and go into the recording's bounded queue without
 * waiting; when the reader falls {@value #MAX_QUEUED_BATCHES} batches behind, further batches are
 * dropped and their records counted ({@link Recording#lostHere}).
 *
 * <p>Threads: {@link #begin} and {@link Recording#close} on any thread (gRPC calls); batches on the
 * privcmd event loop; a recording is read by one thread.
 */
public final class SchedTraceRecorder {
    /** Batches a recording holds unread: 256 × 2048 records, about 12 MiB. */
    static final int MAX_QUEUED_BATCHES = 256;
    private static final int WORDS = 3;

    /** Where the batches come from: the hypervisor's trace over the privcmd channel. */
    @FunctionalInterface
    public interface Source {
        /** Starts the trace with {@code listener} (which must not block), or stops it ({@code null}). */
        void trace(Consumer<SchedTraceBatch> listener);
    }

    /** Thrown by {@link #begin} while another recording runs. */
    public static final class BusyException extends Exception {
        BusyException() {
            super("a scheduler trace is already being recorded");
        }
    }

    private final Source source;
    private final AtomicReference<Recording> current = new AtomicReference<>();

    public SchedTraceRecorder(Source source) {
        this.source = source;
    }

    /** Starts a recording; the caller must close it. */
    public Recording begin() throws BusyException {
        Recording r = new Recording();
        if (!current.compareAndSet(null, r)) {
            throw new BusyException();
        }
        source.trace(r::offer);
        return r;
    }

    /** Whether a recording runs now. */
    public boolean recording() {
        return current.get() != null;
    }

    /** One recording: the batches the hypervisor sent since it began, in arrival order. */
    public final class Recording implements AutoCloseable {
        private final BlockingQueue<SchedTraceBatch> queue = new ArrayBlockingQueue<>(MAX_QUEUED_BATCHES);
        private final AtomicLong lostHere = new AtomicLong();

        private Recording() {}

        void offer(SchedTraceBatch batch) {
            if (!queue.offer(batch)) {
                lostHere.addAndGet(batch.getWordsCount() / WORDS + batch.getDropped());
            }
        }

        /** The next batch, waiting at most {@code timeoutNs}; null if none came. */
        public SchedTraceBatch poll(long timeoutNs) throws InterruptedException {
            return queue.poll(timeoutNs, TimeUnit.NANOSECONDS);
        }

        /** The batches queued now, without waiting. */
        public List<SchedTraceBatch> drain() {
            List<SchedTraceBatch> out = new ArrayList<>();
            queue.drainTo(out);
            return out;
        }

        /** Records dropped because this recording's reader fell behind. */
        public long lostHere() {
            return lostHere.get();
        }

        /** Stops the trace (batches still on their way are dropped). Idempotent. */
        @Override
        public void close() {
            if (current.compareAndSet(this, null)) {
                source.trace(null);
            }
        }
    }
}
