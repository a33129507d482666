package org.hvsim.tools.hvsim.bench;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a set of durations in nanoseconds: the p-th percentile is the smallest value
 * such that at least p % of the samples are at or below it.
 */
public final class Percentiles {
    private final long[] sorted;

    public Percentiles(long[] samplesNs) {
        if (samplesNs.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        this.sorted = samplesNs.clone();
        Arrays.sort(sorted);
    }

    /** The {@code p}-th percentile, {@code 0 < p <= 100}. */
    public long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " is not in (0, 100]");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    public long min() {
        return sorted[0];
    }

    public long max() {
        return sorted[sorted.length - 1];
    }

    public int count() {
        return sorted.length;
    }

    /** {@code ns} in milliseconds with three decimals, in integer arithmetic. */
    public static String millis(long ns) {
        long us = ns / 1000;
        return us / 1000 + "." + String.format("%03d", us % 1000);
    }
}
