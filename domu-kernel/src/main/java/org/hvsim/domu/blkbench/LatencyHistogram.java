package org.hvsim.domu.blkbench;

/**
 * Latencies in nanoseconds, counted in log-linear buckets (exact below 64 ns, then 32 buckets per power
 * of two: within 3.2% of the truth), so that memory stays fixed however long a job runs.
 *
 * <p>Threads: one.
 */
public final class LatencyHistogram {
    private static final int LINEAR = 64;
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = LINEAR + (63 - 6) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;
    private long sum;

    public void record(long ns) {
        long v = Math.max(0, ns);
        counts[bucket(v)]++;
        total++;
        max = Math.max(max, v);
        sum += v;
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    /** The mean, rounded down; 0 when empty. */
    public long mean() {
        return total == 0 ? 0 : sum / total;
    }

    /**
     * The smallest bucket bound below which at least {@code fraction} of the values lie (the bucket's
     * upper end, never above {@link #max}); 0 when empty.
     */
    public long percentile(double fraction) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(upper(b), max);
            }
        }
        return max;
    }

    static int bucket(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
        return LINEAR + (e - 6) * SUB + sub;
    }

    /** The largest value that falls in bucket {@code b}. */
    static long upper(int b) {
        if (b < LINEAR) {
            return b;
        }
        int e = (b - LINEAR) / SUB + 6;
        long sub = (b - LINEAR) % SUB;
        long low = (1L << e) | (sub << (e - SUB_BITS));
        return low + (1L << (e - SUB_BITS)) - 1;
    }
}
