package org.hvsim.hv.evtchn;

import org.hvsim.hv.abi.EvtchnOp;

/** A port's state ({@code ECS_*}), in Xen's order, and the {@code EVTCHNSTAT_*} value it reports. */
public enum ChannelState {
    FREE(EvtchnOp.STAT_CLOSED),
    /** Port 0, reserved at domain creation. */
    RESERVED(EvtchnOp.STAT_CLOSED),
    UNBOUND(EvtchnOp.STAT_UNBOUND),
    INTERDOMAIN(EvtchnOp.STAT_INTERDOMAIN),
    /** Never entered: hvsim has no physical IRQs; kept so status codes line up with Xen. */
    PIRQ(EvtchnOp.STAT_PIRQ),
    VIRQ(EvtchnOp.STAT_VIRQ),
    IPI(EvtchnOp.STAT_IPI);

    private final int statusCode;

    ChannelState(int statusCode) {
        this.statusCode = statusCode;
    }

    /** The {@code EVTCHNSTAT_*} value {@code EVTCHNOP_status} reports for this state. */
    public int statusCode() {
        return statusCode;
    }

    /** Whether a port in this state is bound to something (Xen: {@code state > ECS_RESERVED}). */
    public boolean isBound() {
        return compareTo(RESERVED) > 0;
    }
}
