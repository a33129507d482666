package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EINVAL;

import java.util.concurrent.locks.Lock;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.hv.evtchn.trace.EvtchnTrace;

/**
 * Raising events: send, the hypervisor's notify, VIRQ delivery, unmask and the pending queries.
 *
 * <p>Threads: any. No path here takes a domain's event lock or any global lock: each holds only the
 * read lock of the port it acts on, which keeps that port's binding (and, for an interdomain port,
 * its peer's) stable while the bits are set.
 */
final class EventSender {
    private final GlobalVirqHandlers globalVirqs;
    private final EvtchnTrace trace;

    EventSender(GlobalVirqHandlers globalVirqs, EvtchnTrace trace) {
        this.globalVirqs = globalVirqs;
        this.trace = trace;
    }

    /**
     * {@code evtchn_send} from {@code ld}'s {@code lport}: interdomain → the remote port; IPI → the
     * port itself; unbound → dropped (0); anything else {@code -EINVAL}. A guest ({@code guest})
     * may not send on a Xen-attached port; the hypervisor may (Xen's
     * {@code notify_via_xen_event_channel}).
     */
    int send(EvtchnDomain ld, int lport, boolean guest) {
        EventChannels table = ld.eventChannels();
        if (!table.isValid(lport)) {
            return -EINVAL;
        }
        EventChannel lchn = table.channel(lport);
        Lock read = lchn.lock.readLock();
        read.lock();
        boolean locked = true;
        try {
            if (lchn.xenConsumer != null && guest) {
                return -EINVAL;
            }
            switch (lchn.state) {
                case INTERDOMAIN -> {
                    lchn.counters.countSend();
                    EvtchnDomain rd = lchn.remoteDomain;
                    int rport = lchn.remotePort;
                    EventChannel rchn = rd.eventChannels().channel(rport);
                    XenConsumer consumer = rchn.xenConsumer;
                    if (consumer != null) {
                        rchn.counters.countUpcall();
                        lchn.traceSend(trace, ld, rd, rchn, EvtchnTraceRecord.SEND_TO_XEN);
                        int vcpu = rchn.notifyVcpu;
                        read.unlock();
                        locked = false;
                        consumer.notified(rd, vcpu, rport);
                    } else {
                        int outcome = rchn.raise(rd);
                        lchn.traceSend(trace, ld, rd, rchn, EventChannel.sendStatus(outcome));
                    }
                    return 0;
                }
                case IPI -> {
                    lchn.counters.countSend();
                    int outcome = lchn.raise(ld);
                    lchn.traceSend(trace, ld, ld, lchn, EventChannel.sendStatus(outcome));
                    return 0;
                }
                case UNBOUND -> {
                    lchn.counters.countSend();
                    lchn.traceSend(trace, ld, null, null, EvtchnTraceRecord.SEND_UNBOUND);
                    return 0;
                }
                default -> {
                    return -EINVAL;
                }
            }
        } finally {
            if (locked) {
                read.unlock();
            }
        }
    }

    /** {@code send_guest_vcpu_virq}: raise per-vCPU {@code virq} on {@code vcpu}, if bound there. */
    void sendVcpuVirq(EvtchnDomain d, int vcpu, int virq) {
        if (virq < 0 || virq >= Virq.NR_VIRQS || Virq.kind(virq) != Virq.Kind.PER_VCPU) {
            throw new IllegalArgumentException(Virq.name(virq) + " is not a per-vCPU VIRQ");
        }
        if (!ChannelBinder.vcpuExists(d, vcpu)) {
            throw new IllegalArgumentException("d" + d.domid() + " has no vCPU " + vcpu);
        }
        raiseVirq(d, vcpu, virq);
    }

    /** {@code send_guest_domain_virq}: raise non-per-vCPU {@code virq} in {@code d}, if bound. */
    void sendDomainVirq(EvtchnDomain d, int virq) {
        if (virq < 0 || virq >= Virq.NR_VIRQS || Virq.kind(virq) == Virq.Kind.PER_VCPU) {
            throw new IllegalArgumentException(Virq.name(virq) + " is a per-vCPU VIRQ, or no VIRQ");
        }
        if (d != null) {
            raiseVirq(d, 0, virq);
        }
    }

    /** {@code send_global_virq}: raise global {@code virq} in the domain that handles it. */
    void sendGlobalVirq(int virq) {
        if (virq < 0 || virq >= Virq.NR_VIRQS || Virq.kind(virq) != Virq.Kind.GLOBAL) {
            throw new IllegalArgumentException(Virq.name(virq) + " is not a global VIRQ");
        }
        sendDomainVirq(globalVirqs.handler(virq), virq);
    }

    /**
     * Raise the port found at {@code virqToPort[vcpu][virq]}. The map is read without the event
     * lock, so the port is re-checked under its read lock: a port closed (and perhaps re-bound to
     * something else) meanwhile is left alone.
     */
    private void raiseVirq(EvtchnDomain d, int vcpu, int virq) {
        EventChannels table = d.eventChannels();
        int port = table.virqPort(vcpu, virq);
        if (port == 0) {
            return;
        }
        EventChannel chn = table.channel(port);
        Lock read = chn.lock.readLock();
        read.lock();
        try {
            if (chn.state == ChannelState.VIRQ && chn.virq == virq
                    && (Virq.kind(virq) != Virq.Kind.PER_VCPU || chn.notifyVcpu == vcpu)) {
                chn.raiseTraced(d, trace);
            }
        } finally {
            read.unlock();
        }
    }

    /** {@code evtchn_unmask}: 0, or {@code -EINVAL} for an invalid port; a free port is left alone. */
    int unmask(EvtchnDomain d, int port) {
        EventChannels table = d.eventChannels();
        if (!table.isValid(port)) {
            return -EINVAL;
        }
        EventChannel chn = table.channel(port);
        Lock read = chn.lock.readLock();
        read.lock();
        try {
            if (chn.usable()) {
                chn.trace(trace, EvtchnTraceRecord.KIND_UNMASK, d);
                if (TwoLevelAbi.unmask(d, chn.notifyVcpu, port)) {
                    chn.counters.countUpcall();
                }
            }
            return 0;
        } finally {
            read.unlock();
        }
    }

    /** {@code evtchn_port_poll}: 1 pending, 0 not, {@code -EINVAL} for an invalid or unbound port. */
    int poll(EvtchnDomain d, int port) {
        EventChannels table = d.eventChannels();
        if (!table.isValid(port)) {
            return -EINVAL;
        }
        EventChannel chn = table.channel(port);
        Lock read = chn.lock.readLock();
        read.lock();
        try {
            if (!chn.usable()) {
                return -EINVAL;
            }
            return TwoLevelAbi.isPending(d, port) ? 1 : 0;
        } finally {
            read.unlock();
        }
    }

    /** {@code evtchn_port_is_masked}: an invalid, unbound or Xen-attached port counts as masked. */
    boolean isMasked(EvtchnDomain d, int port) {
        EventChannels table = d.eventChannels();
        if (!table.isValid(port)) {
            return true;
        }
        EventChannel chn = table.channel(port);
        Lock read = chn.lock.readLock();
        read.lock();
        try {
            return !chn.usable() || TwoLevelAbi.isMasked(d, port);
        } finally {
            read.unlock();
        }
    }
}
