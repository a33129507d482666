package org.hvsim.hv.evtchn;

/**
 * The counters of one port at one moment, since it was bound.
 *
 * @param sends        EVTCHNOP_send on the port (or the hypervisor's notify)
 * @param pendingEdges times its pending bit went 0 → 1
 * @param upcalls      edges that reached a vCPU (unmasked), released by an unmask, or consumed by Xen
 * @param maskedDrops  edges the mask held back
 * @param coalesced    raises that found it already pending
 */
public record PortCounts(long sends, long pendingEdges, long upcalls, long maskedDrops, long coalesced) {}
