package org.hvsim.hv.abi.evtchn;

/**
 * One event channel trace event as three 64-bit words, the layout of the privcmd channel's
 * {@code EvtchnTraceBatch.words} (Xen's xentrace records are words too; this is hvsim's own layout):
 * <pre>
 *   word 0: hypervisor time in ns
 *   word 1: kind &lt;&lt; 56 | domid &lt;&lt; 40 | port &lt;&lt; 24 | vcpu &lt;&lt; 16 | status &lt;&lt; 8
 *   word 2: remote_domid &lt;&lt; 48 | remote_port &lt;&lt; 32 | virq &lt;&lt; 24 | remote_label_id &lt;&lt; 12 | label_id
 * </pre>
 * Ports are below 4096, domids below 0x7ff0, vCPUs below 32 and label ids below 4096, so every field
 * fits. One SEND record stands for the send and what it did to the remote port (its status says which:
 * a delivery, a masked edge, a coalesced raise), so that a send costs one record, not two.
 *
 * @param kind          one of the {@code KIND_*} values
 * @param vcpu          SEND: the vCPU the raised port notifies; otherwise the port's notify vCPU
 * @param status        BIND and CLOSE: the EVTCHNSTAT_* of the binding; SEND: one of {@code SEND_*}
 * @param remoteDomid   SEND and BIND: the other end, if any
 * @param remoteLabelId SEND: the raised port's label number (0: none)
 * @param labelId       the port's label number (0: none); the batch maps numbers to text
 */
public record EvtchnTraceRecord(long timeNs, int kind, int domid, int port, int vcpu, int status,
                                int remoteDomid, int remotePort, int virq, int remoteLabelId, int labelId) {
    public static final int WORDS = 3;

    /** A port was bound. */
    public static final int KIND_BIND = 1;
    /** A port was closed. */
    public static final int KIND_CLOSE = 2;
    /** EVTCHNOP_send (or the hypervisor's notify) on a port. */
    public static final int KIND_SEND = 3;
    /** An edge reached a vCPU of the port's domain. */
    public static final int KIND_DELIVER = 4;
    /** An edge was held back by the port's mask. */
    public static final int KIND_MASKED = 5;
    /** EVTCHNOP_unmask of a port. */
    public static final int KIND_UNMASK = 6;

    /** SEND: the port was unbound; the event went nowhere. */
    public static final int SEND_UNBOUND = 0;
    /** SEND: the raised port was already pending; the event folded into that edge. */
    public static final int SEND_COALESCED = 1;
    /** SEND: a new edge on the raised port, held back by its mask. */
    public static final int SEND_MASKED = 2;
    /** SEND: a new edge on the raised port, on its way to a vCPU. */
    public static final int SEND_DELIVERED = 3;
    /** SEND: the hypervisor consumed the event (a Xen-attached port). */
    public static final int SEND_TO_XEN = 4;

    public static long word1(int kind, int domid, int port, int vcpu, int status) {
        return (long) (kind & 0xff) << 56 | (long) (domid & 0xffff) << 40 | (long) (port & 0xffff) << 24
                | (long) (vcpu & 0xff) << 16 | (long) (status & 0xff) << 8;
    }

    public static long word2(int remoteDomid, int remotePort, int virq, int remoteLabelId, int labelId) {
        return (long) (remoteDomid & 0xffff) << 48 | (long) (remotePort & 0xffff) << 32
                | (long) (virq & 0xff) << 24 | (long) (remoteLabelId & 0xfff) << 12 | labelId & 0xfff;
    }

    /** The record of words {@code w0, w1, w2}. */
    public static EvtchnTraceRecord decode(long w0, long w1, long w2) {
        return new EvtchnTraceRecord(w0, (int) (w1 >>> 56), (int) (w1 >>> 40) & 0xffff,
                (int) (w1 >>> 24) & 0xffff, (int) (w1 >>> 16) & 0xff, (int) (w1 >>> 8) & 0xff,
                (int) (w2 >>> 48) & 0xffff, (int) (w2 >>> 32) & 0xffff, (int) (w2 >>> 24) & 0xff,
                (int) (w2 >>> 12) & 0xfff, (int) w2 & 0xfff);
    }
}
