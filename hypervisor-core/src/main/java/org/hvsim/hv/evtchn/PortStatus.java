package org.hvsim.hv.evtchn;

import org.hvsim.hv.abi.DomId;

/**
 * A read-only snapshot of one port for inspection tools (what Xen's 'e' debug key prints, and more).
 *
 * @param port        the port number
 * @param state       its state
 * @param notifyVcpu  the vCPU it notifies
 * @param remoteDomid unbound: the domain allowed to bind; interdomain: the remote domain;
 *                    otherwise {@link DomId#INVALID}
 * @param remotePort  interdomain: the remote port; otherwise 0
 * @param virq        VIRQ ports: the VIRQ; otherwise -1
 * @param xenAttached whether the hypervisor, not the guest, consumes the port's events
 * @param pending     its bit in evtchn_pending
 * @param masked      its bit in evtchn_mask
 * @param label       what the port is for, or "" when nobody said
 * @param counts      its counters since it was bound
 */
public record PortStatus(int port, ChannelState state, int notifyVcpu, int remoteDomid, int remotePort,
                         int virq, boolean xenAttached, boolean pending, boolean masked, String label,
                         PortCounts counts) {

    /** The {@code EVTCHNSTAT_*} value {@code EVTCHNOP_status} reports. */
    public int statusCode() {
        return state.statusCode();
    }
}
