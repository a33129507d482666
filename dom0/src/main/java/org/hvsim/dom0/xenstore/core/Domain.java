package org.hvsim.dom0.xenstore.core;

import java.util.Arrays;

/**
 * What xenstored knows about one domain ({@code struct domain}): whether it has been introduced and has
 * a ring connection, whether its shutdown has been reported, the store generation when xenstored first
 * heard of it (permission entries older than that name a previous domain with the same id and are
 * ignored), its resource usage and the highest usage seen, and its own quota overrides.
 * Threads: the dispatch thread only.
 */
public final class Domain {
    /** An override value meaning "use the global setting". */
    public static final long NOT_SET = -1;

    private final int domid;
    private final long generation;
    private final QuotaTable table;
    private final long[] usage = new long[Quota.values().length];
    private final long[] max = new long[Quota.values().length];
    private final long[] hardOverride = new long[Quota.values().length];
    private final long[] softOverride = new long[Quota.values().length];
    private boolean introduced;
    private boolean shutdown;
    private Connection connection;
    private boolean softMemoryReported;

    Domain(int domid, long generation, QuotaTable table) {
        this.domid = domid;
        this.generation = generation;
        this.table = table;
        Arrays.fill(hardOverride, NOT_SET);
        Arrays.fill(softOverride, NOT_SET);
    }

    public int domid() {
        return domid;
    }

    /** The store generation when this domain became known. */
    public long generation() {
        return generation;
    }

    public boolean introduced() {
        return introduced;
    }

    void setIntroduced(Connection c) {
        this.introduced = true;
        this.shutdown = false;
        this.connection = c;
    }

    /** The domain's ring connection, or {@code null} (dom0, or not introduced). */
    public Connection connection() {
        return connection;
    }

    boolean shutdown() {
        return shutdown;
    }

    void setShutdown(boolean s) {
        this.shutdown = s;
    }

    /** Current usage of {@code q} (nodes owned, watches, outstanding replies, memory bytes, transactions). */
    public long usage(Quota q) {
        return usage[q.ordinal()];
    }

    /** The highest usage (or, for limits such as node-size, the highest value) seen. */
    public long maxSeen(Quota q) {
        return max[q.ordinal()];
    }

    /** Adds {@code delta} to the usage of {@code q} (never below 0). */
    public void add(Quota q, long delta) {
        int i = q.ordinal();
        usage[i] = Math.max(0, usage[i] + delta);
        observe(q, usage[i]);
    }

    /** Records a value reached for {@code q} without changing usage. */
    public void observe(Quota q, long value) {
        int i = q.ordinal();
        if (value > max[i]) {
            max[i] = value;
        }
        if (unprivileged()) {
            table.observe(q, value);
        }
    }

    /** Whether quotas apply to this domain (every domain but dom0). */
    public boolean unprivileged() {
        return domid != 0;
    }

    void resetMax() {
        System.arraycopy(usage, 0, max, 0, usage.length);
    }

    /** Sets (or with {@link #NOT_SET} clears) this domain's own hard or soft value of {@code q}. */
    public void setOverride(Quota q, boolean soft, long value) {
        if (value < NOT_SET) {
            throw new IllegalArgumentException("bad quota value " + value);
        }
        (soft ? softOverride : hardOverride)[q.ordinal()] = value;
    }

    /** The hard limit of {@code q} for this domain: its override, else the global value (0 = none). */
    public long hardLimit(Quota q) {
        long o = hardOverride[q.ordinal()];
        return o != NOT_SET ? o : table.hard(q);
    }

    public long softLimit(Quota q) {
        long o = softOverride[q.ordinal()];
        return o != NOT_SET ? o : table.soft(q);
    }

    /**
     * Whether {@code memory} bytes would reach this domain's hard memory quota. Memory is kept strictly
     * below its quota ({@code domain_chk_quota()}): a domain at its quota is not read from until it drops.
     */
    public boolean atMemoryQuota(long memory) {
        long limit = hardLimit(Quota.MEMORY);
        return unprivileged() && limit != 0 && memory >= limit;
    }

    /** Whether quotas apply and {@code value} exceeds this domain's hard limit of {@code q}. */
    public boolean exceeds(Quota q, long value) {
        long limit = hardLimit(q);
        return unprivileged() && limit != 0 && value > limit;
    }

    boolean softMemoryReported() {
        return softMemoryReported;
    }

    void setSoftMemoryReported(boolean r) {
        this.softMemoryReported = r;
    }

    @Override
    public String toString() {
        return "Domain[" + domid + (introduced ? ", introduced" : "") + (shutdown ? ", shutdown" : "") + "]";
    }
}
