package org.hvsim.dom0.xenstore.core;

import java.util.Arrays;

/**
 * The global quota settings ({@code hard_quotas[]}, {@code soft_quotas[]}) and the highest value any
 * unprivileged domain has reached for each ({@code quota max}). A domain may override the hard and soft
 * values for itself ({@link Domain#setOverride}). Threads: the dispatch thread only.
 */
public final class QuotaTable {
    private final long[] hard = new long[Quota.values().length];
    private final long[] soft = new long[Quota.values().length];
    private final long[] maxSeen = new long[Quota.values().length];

    public QuotaTable() {
        for (Quota q : Quota.values()) {
            hard[q.ordinal()] = q.defaultHard();
            soft[q.ordinal()] = q.defaultSoft();
        }
    }

    public long hard(Quota q) {
        return hard[q.ordinal()];
    }

    public long soft(Quota q) {
        return soft[q.ordinal()];
    }

    public void setHard(Quota q, long value) {
        hard[q.ordinal()] = checked(value);
    }

    public void setSoft(Quota q, long value) {
        soft[q.ordinal()] = checked(value);
    }

    public long maxSeen(Quota q) {
        return maxSeen[q.ordinal()];
    }

    /** Records a value an unprivileged domain reached. */
    void observe(Quota q, long value) {
        if (value > maxSeen[q.ordinal()]) {
            maxSeen[q.ordinal()] = value;
        }
    }

    /** {@code quota max -r}: forget the maxima (the caller re-observes current values). */
    void resetMaxSeen() {
        Arrays.fill(maxSeen, 0);
    }

    private static long checked(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a quota is at least 0, not " + value);
        }
        return value;
    }
}
