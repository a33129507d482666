package org.hvsim.domu.blkbench;

/**
 * Which of a job's writes a completed flush has made durable. Writes are numbered 0, 1, 2, ... as they are
 * submitted; the completed prefix P is the lowest number not yet completed OK (every write below it has).
 * VIRTIO 1.2 (5.2.6.2) has a flush make durable every write completed before the flush was submitted, so
 * a flush submitted when the prefix was P makes writes 0..P-1 durable once it completes OK.
 *
 * <p>Memory is bounded: the completions above P are a ring of {@link #WINDOW} bits, and no write numbered
 * P + {@link #WINDOW} or beyond may be submitted ({@link #canIssue}) until P moves (a write held up that long
 * holds the job up too). A write that fails never completes OK, so P stops there for good and nothing more
 * is tracked.
 *
 * <p>Threads: one vCPU, the one that runs the job.
 */
final class DurablePoint {
    /** How far past the completed prefix writes may be submitted (a power of two). */
    static final int WINDOW = 4096;

    private final long[] completedAbove = new long[WINDOW / Long.SIZE];
    private long next;
    private long prefix;
    private boolean failed;
    private long flushesSubmitted;
    private long prefixAtFlush;
    private long durable;
    private long durableFlush;

    /** Whether another write may be submitted now. */
    boolean canIssue() {
        return failed || next - prefix < WINDOW;
    }

    /** Numbers the write being submitted. */
    long issue() {
        if (!canIssue()) {
            throw new IllegalStateException("write " + next + " is " + WINDOW + " or more past write " + prefix
                    + ", the first not completed");
        }
        return next++;
    }

    /** Write {@code seq} completed, OK or not. */
    void completed(long seq, boolean ok) {
        if (failed) {
            return;
        }
        if (!ok) {
            failed = true;
            return;
        }
        if (seq < prefix || seq >= next) {
            throw new IllegalArgumentException("write " + seq + " is not in flight (prefix " + prefix + ", next "
                    + next + ")");
        }
        int bit = (int) (seq & (WINDOW - 1));
        completedAbove[bit >>> 6] |= 1L << (bit & 63);
        while (prefix < next) {
            int b = (int) (prefix & (WINDOW - 1));
            if ((completedAbove[b >>> 6] & 1L << (b & 63)) == 0) {
                break;
            }
            completedAbove[b >>> 6] &= ~(1L << (b & 63));
            prefix++;
        }
    }

    /** A flush was submitted (one at a time): it will cover the writes completed by now. */
    void flushSubmitted() {
        flushesSubmitted++;
        prefixAtFlush = prefix;
    }

    /** The flush in flight completed; true if it made more writes durable. */
    boolean flushCompleted(boolean ok) {
        if (!ok || prefixAtFlush <= durable) {
            return false;
        }
        durable = prefixAtFlush;
        durableFlush = flushesSubmitted;
        return true;
    }

    /** The lowest write number not completed OK. */
    long prefix() {
        return prefix;
    }

    /** How many writes (0..durable()-1) a completed flush has made durable. */
    long durable() {
        return durable;
    }

    /** Which flush (1, 2, ... in submission order) made them durable; 0 if none yet. */
    long durableFlush() {
        return durableFlush;
    }
}
