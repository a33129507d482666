package org.hvsim.hv.evtchn;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What happened on one port since it was bound: sends from it, pending edges on it and what became
 * of them. No global lock and no shared counter: each port counts into its own fields with atomic
 * adds, so senders on different ports never touch the same cache line for counting.
 *
 * <p>Threads: any thread that holds a lock keeping the port's binding stable increments;
 * {@link #clear} runs with the port's write lock, so no increment races it; readers (snapshots)
 * may run at any time and see each field's latest value.
 */
final class PortCounters {
    private static final VarHandle SENDS;
    private static final VarHandle DELIVERED;
    private static final VarHandle MASKED;
    private static final VarHandle COALESCED;
    private static final VarHandle RELEASED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SENDS = lookup.findVarHandle(PortCounters.class, "sends", long.class);
            DELIVERED = lookup.findVarHandle(PortCounters.class, "delivered", long.class);
            MASKED = lookup.findVarHandle(PortCounters.class, "masked", long.class);
            COALESCED = lookup.findVarHandle(PortCounters.class, "coalesced", long.class);
            RELEASED = lookup.findVarHandle(PortCounters.class, "released", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // One counter per outcome, so that a send costs one atomic add on each end; the figures a snapshot
    // reports (edges, upcalls) are sums of these.
    private volatile long sends;
    /** Edges on the unmasked port. */
    private volatile long delivered;
    /** Edges the mask held back. */
    private volatile long masked;
    /** Raises that found the port pending. */
    private volatile long coalesced;
    /** Upcalls without an edge of their own: an unmask releasing a held edge, or Xen consuming an event. */
    private volatile long released;

    void countSend() {
        SENDS.getAndAdd(this, 1L);
    }

    /** Counts what {@link TwoLevelAbi#setPending} returned. */
    void countRaise(int outcome) {
        switch (outcome) {
            case TwoLevelAbi.RAISE_COALESCED -> COALESCED.getAndAdd(this, 1L);
            case TwoLevelAbi.RAISE_MASKED -> MASKED.getAndAdd(this, 1L);
            default -> DELIVERED.getAndAdd(this, 1L);
        }
    }

    /** An event that reached its consumer another way: an unmask released it, or Xen consumed it. */
    void countUpcall() {
        RELEASED.getAndAdd(this, 1L);
    }

    void clear() {
        sends = 0;
        delivered = 0;
        masked = 0;
        coalesced = 0;
        released = 0;
    }

    PortCounts snapshot() {
        long d = delivered;
        long m = masked;
        return new PortCounts(sends, d + m, d + released, m, coalesced);
    }
}
