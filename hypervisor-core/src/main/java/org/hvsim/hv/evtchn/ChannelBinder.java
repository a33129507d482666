package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EBUSY;
import static org.hvsim.hv.abi.Errno.EEXIST;
import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ENOENT;
import static org.hvsim.hv.abi.Errno.EPERM;

import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.hv.evtchn.trace.EvtchnTrace;

/**
 * Allocating and binding ports: alloc_unbound, bind_interdomain, bind_virq, bind_ipi, bind_vcpu, and
 * Xen-attached unbound ports. Checks happen in Xen's order, so the same misuse gets the same errno.
 * Every method returns a port (or 0) on success, a negated errno on failure.
 *
 * <p>Threads: any; each operation holds the event lock of the domain(s) it changes.
 */
final class ChannelBinder {
    private final GlobalVirqHandlers globalVirqs;
    private final EvtchnTrace trace;
    private final PortLabels labels;

    ChannelBinder(GlobalVirqHandlers globalVirqs, EvtchnTrace trace, PortLabels labels) {
        this.globalVirqs = globalVirqs;
        this.trace = trace;
        this.labels = labels;
    }

    /**
     * {@code evtchn_alloc_unbound}: a fresh port in {@code d} that {@code remoteDom} may bind to.
     * {@code caller} is the calling domain ({@code DOMID_SELF} names it), or null when the
     * hypervisor itself allocates ({@code DOMID_SELF} then names {@code d}).
     */
    int allocUnbound(EvtchnDomain d, int remoteDom, EvtchnDomain caller) {
        EventChannels table = d.eventChannels();
        table.lock().lock();
        try {
            int port = table.getFreePort();
            if (port < 0) {
                return port;
            }
            if (caller != null && !XsmDefaultPolicy.target(caller, d)) {
                return -EPERM;
            }
            EventChannel chn = table.channel(port);
            chn.lock.writeLock().lock();
            try {
                chn.state = ChannelState.UNBOUND;
                chn.unboundRemoteDomid = remoteDom == DomId.SELF ? (caller != null ? caller : d).domid() : remoteDom;
                table.activated(chn);
                chn.trace(trace, EvtchnTraceRecord.KIND_BIND, d);
            } finally {
                chn.lock.writeLock().unlock();
            }
            return port;
        } finally {
            table.lock().unlock();
        }
    }

    /**
     * {@code alloc_unbound_xen_event_channel}: an unbound port of {@code d} whose events from
     * {@code remoteDomid} the hypervisor consumes through {@code consumer}.
     */
    int allocXenUnbound(EvtchnDomain d, int vcpu, int remoteDomid, XenConsumer consumer) {
        if (!vcpuExists(d, vcpu)) {
            throw new IllegalArgumentException("d" + d.domid() + " has no vCPU " + vcpu);
        }
        EventChannels table = d.eventChannels();
        table.lock().lock();
        try {
            int port = table.getFreePort();
            if (port < 0) {
                return port;
            }
            EventChannel chn = table.channel(port);
            chn.lock.writeLock().lock();
            try {
                chn.state = ChannelState.UNBOUND;
                chn.xenConsumer = consumer;
                chn.notifyVcpu = vcpu;
                chn.unboundRemoteDomid = remoteDomid;
                table.activated(chn);
                chn.trace(trace, EvtchnTraceRecord.KIND_BIND, d);
            } finally {
                chn.lock.writeLock().unlock();
            }
            return port;
        } finally {
            table.lock().unlock();
        }
    }

    /**
     * {@code evtchn_bind_interdomain}: connect a fresh port of {@code ld} to {@code <rd, rport>},
     * which must be unbound and reserved for {@code ld}. The new local port is left pending, since
     * events sent to the unbound remote end were dropped.
     */
    int bindInterdomain(EvtchnDomain ld, EvtchnDomain rd, int rport) {
        DomainLocks.lockBoth(ld, rd);
        try {
            EventChannels localTable = ld.eventChannels();
            EventChannels remoteTable = rd.eventChannels();
            int lport = localTable.getFreePort();
            if (lport < 0) {
                return lport;
            }
            if (!remoteTable.isValid(rport)) {
                return -EINVAL;
            }
            EventChannel rchn = remoteTable.channel(rport);
            if (rchn.state != ChannelState.UNBOUND || rchn.unboundRemoteDomid != ld.domid()) {
                return -EINVAL;
            }
            EventChannel lchn = localTable.channel(lport);
            lchn.writeLockWith(rchn);
            try {
                lchn.state = ChannelState.INTERDOMAIN;
                lchn.remoteDomain = rd;
                lchn.remotePort = rport;
                localTable.activated(lchn);
                rchn.state = ChannelState.INTERDOMAIN;
                rchn.unboundRemoteDomid = DomId.INVALID;
                rchn.remoteDomain = ld;
                rchn.remotePort = lport;
                lchn.trace(trace, EvtchnTraceRecord.KIND_BIND, ld);
                rchn.trace(trace, EvtchnTraceRecord.KIND_BIND, rd);
                lchn.raiseTraced(ld, trace);
            } finally {
                lchn.writeUnlockWith(rchn);
            }
            return lport;
        } finally {
            DomainLocks.unlockBoth(ld, rd);
        }
    }

    /** {@code evtchn_bind_virq}: a port for {@code virq} on {@code vcpu} of {@code d}. */
    int bindVirq(EvtchnDomain d, int virq, int vcpu) {
        if (virq < 0 || virq >= Virq.NR_VIRQS) {
            return -EINVAL;
        }
        Virq.Kind kind = Virq.kind(virq);
        if (kind != Virq.Kind.PER_VCPU && vcpu != 0) {
            return -EINVAL;
        }
        if (!vcpuExists(d, vcpu)) {
            return -ENOENT;
        }
        EventChannels table = d.eventChannels();
        table.lock().lock();
        try {
            if (kind == Virq.Kind.GLOBAL && globalVirqs.handler(virq) != d) {
                return -EBUSY;
            }
            if (table.virqPort(vcpu, virq) != 0) {
                return -EEXIST;
            }
            int port = table.getFreePort();
            if (port < 0) {
                return port;
            }
            EventChannel chn = table.channel(port);
            chn.lock.writeLock().lock();
            try {
                chn.state = ChannelState.VIRQ;
                chn.notifyVcpu = vcpu;
                chn.virq = virq;
                chn.label = labels.intern("VIRQ_" + Virq.name(virq));
                table.activated(chn);
                chn.trace(trace, EvtchnTraceRecord.KIND_BIND, d);
            } finally {
                chn.lock.writeLock().unlock();
            }
            table.setVirqPort(vcpu, virq, port);
            return port;
        } finally {
            table.lock().unlock();
        }
    }

    /** {@code evtchn_bind_ipi}: a port of {@code d} that notifies {@code vcpu}, fixed for its life. */
    int bindIpi(EvtchnDomain d, int vcpu) {
        if (!vcpuExists(d, vcpu)) {
            return -ENOENT;
        }
        EventChannels table = d.eventChannels();
        table.lock().lock();
        try {
            int port = table.getFreePort();
            if (port < 0) {
                return port;
            }
            EventChannel chn = table.channel(port);
            chn.lock.writeLock().lock();
            try {
                chn.state = ChannelState.IPI;
                chn.notifyVcpu = vcpu;
                chn.label = labels.intern("IPI");
                table.activated(chn);
                chn.trace(trace, EvtchnTraceRecord.KIND_BIND, d);
            } finally {
                chn.lock.writeLock().unlock();
            }
            return port;
        } finally {
            table.lock().unlock();
        }
    }

    /**
     * {@code evtchn_bind_vcpu}: unbound, interdomain and non-per-vCPU VIRQ ports may notify another
     * vCPU; IPI and per-vCPU VIRQ ports may not ({@code -EINVAL}).
     */
    int bindVcpu(EvtchnDomain d, int port, int vcpu) {
        if (!vcpuExists(d, vcpu)) {
            return -ENOENT;
        }
        EventChannels table = d.eventChannels();
        if (!table.isValid(port)) {
            return -EINVAL;
        }
        EventChannel chn = table.channel(port);
        table.lock().lock();
        try {
            if (chn.xenConsumer != null) {
                return -EINVAL;
            }
            switch (chn.state) {
                case VIRQ -> {
                    if (Virq.kind(chn.virq) == Virq.Kind.PER_VCPU) {
                        return -EINVAL;
                    }
                    chn.notifyVcpu = vcpu;
                }
                case UNBOUND, INTERDOMAIN -> chn.notifyVcpu = vcpu;
                default -> {
                    return -EINVAL;
                }
            }
            return 0;
        } finally {
            table.lock().unlock();
        }
    }

    /** Xen's {@code domain_vcpu(d, id) != NULL}; ids are unsigned, and vcpu_info holds 32. */
    static boolean vcpuExists(EvtchnDomain d, int vcpu) {
        return vcpu >= 0 && vcpu < Math.min(d.maxVcpus(), SharedInfo.LEGACY_MAX_VCPUS);
    }
}
