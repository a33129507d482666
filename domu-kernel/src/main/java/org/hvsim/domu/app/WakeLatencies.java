package org.hvsim.domu.app;

import java.util.Arrays;

/**
 * One report's worth of wake latencies (nanoseconds, how late a vCPU ran after its timer's deadline), with
 * nearest-rank percentiles: the p-th percentile is the smallest sample such that at least p % of the samples
 * are at or below it. Threads: the one vCPU that records.
 */
final class WakeLatencies {
    private final long[] samples;
    private int count;

    WakeLatencies(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.samples = new long[capacity];
    }

    /** Records one latency; a negative one (a clock read before the deadline) counts as 0. */
    void record(long ns) {
        samples[count++] = Math.max(0, ns);
    }

    boolean full() {
        return count == samples.length;
    }

    int count() {
        return count;
    }

    /** The report line for the samples recorded since the last, then forgets them. */
    String report(long number) {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        count = 0;
        return "iolat: report " + number + ": " + sorted.length + " wakes: p50 " + micros(percentile(sorted, 50))
                + " us, p99 " + micros(percentile(sorted, 99)) + " us, p99.9 " + micros(percentile(sorted, 99.9))
                + " us, max " + micros(sorted[sorted.length - 1]) + " us";
    }

    /** The nearest-rank {@code p}-th percentile of {@code sorted}, {@code 0 < p <= 100}. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0 || !(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " of " + sorted.length + " samples");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** {@code ns} in microseconds with one decimal, in integer arithmetic. */
    static String micros(long ns) {
        long tenths = ns / 100;
        return tenths / 10 + "." + tenths % 10;
    }
}
