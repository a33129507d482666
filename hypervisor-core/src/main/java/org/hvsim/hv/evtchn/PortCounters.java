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
    private static final VarHandle PENDING_EDGES;
    private static final VarHandle UPCALLS;
    private static final VarHandle MASKED_DROPS;
    private static final VarHandle COALESCED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SENDS = lookup.findVarHandle(PortCounters.class, "sends", long.class);
            PENDING_EDGES = lookup.findVarHandle(PortCounters.class, "pendingEdges", long.class);
            UPCALLS = lookup.findVarHandle(PortCounters.class, "upcalls", long.class);
            MASKED_DROPS = lookup.findVarHandle(PortCounters.class, "maskedDrops", long.class);
            COALESCED = lookup.findVarHandle(PortCounters.class, "coalesced", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long sends;
    private volatile long pendingEdges;
    private volatile long upcalls;
    private volatile long maskedDrops;
    private volatile long coalesced;

    void countSend() {
        SENDS.getAndAdd(this, 1L);
    }

    /** Counts what {@link TwoLevelAbi#setPending} returned. */
    void countRaise(int outcome) {
        switch (outcome) {
            case TwoLevelAbi.RAISE_COALESCED -> COALESCED.getAndAdd(this, 1L);
            case TwoLevelAbi.RAISE_MASKED -> {
                PENDING_EDGES.getAndAdd(this, 1L);
                MASKED_DROPS.getAndAdd(this, 1L);
            }
            default -> {
                PENDING_EDGES.getAndAdd(this, 1L);
                UPCALLS.getAndAdd(this, 1L);
            }
        }
    }

    /** An event that reached its consumer another way: an unmask released it, or Xen consumed it. */
    void countUpcall() {
        UPCALLS.getAndAdd(this, 1L);
    }

    void clear() {
        sends = 0;
        pendingEdges = 0;
        upcalls = 0;
        maskedDrops = 0;
        coalesced = 0;
    }

    PortCounts snapshot() {
        return new PortCounts(sends, pendingEdges, upcalls, maskedDrops, coalesced);
    }
}
