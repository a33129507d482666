package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ESRCH;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.evtchn.trace.EvtchnTrace;

/**
 * Event channels of the whole machine: what the hypervisor itself calls, with the semantics of the
 * {@code EVTCHNOP_*} operations ({@link EventChannelOps} decodes the hypercall and calls the same
 * code). Methods returning {@code int} give a port or 0 on success and a negated Xen errno on
 * failure, exactly as the hypercall would.
 *
 * <p>Threads: any, concurrently. Binding and closing take per-domain event locks (two of them, in
 * domid order, for interdomain channels); sending takes only the sending port's channel lock.
 */
public final class EventChannelManager {
    private final DomainLookup domains;
    private final GlobalVirqHandlers globalVirqs;
    private final ChannelBinder binder;
    private final ChannelCloser closer;
    private final EventSender sender;
    private final PortLabels labels = new PortLabels();
    private final EvtchnTrace trace;

    public EventChannelManager(DomainLookup domains) {
        this.domains = Objects.requireNonNull(domains, "domains");
        this.globalVirqs = new GlobalVirqHandlers(domains);
        this.trace = new EvtchnTrace(System::nanoTime, Clock.systemUTC(), labels::text);
        this.binder = new ChannelBinder(globalVirqs, trace, labels);
        this.closer = new ChannelCloser(globalVirqs, trace);
        this.sender = new EventSender(globalVirqs, trace);
    }

    /** The trace watchers attach to. */
    public EvtchnTrace trace() {
        return trace;
    }

    /**
     * Labels bound {@code port} of {@code d} with what it is for ({@code text}, see
     * {@link PortLabels#isValid}); the label lasts until the port is closed. Returns 0, or
     * {@code -EINVAL} when the port is not valid or not bound or the text is not a valid label.
     */
    public int label(EvtchnDomain d, int port, String text) {
        EventChannels table = d.eventChannels();
        if (!table.isValid(port) || !PortLabels.isValid(text)) {
            return -EINVAL;
        }
        table.lock().lock();
        try {
            EventChannel chn = table.channel(port);
            if (!chn.state.isBound()) {
                return -EINVAL;
            }
            chn.label = labels.intern(text);
            return 0;
        } finally {
            table.lock().unlock();
        }
    }

    DomainLookup domains() {
        return domains;
    }

    /**
     * A fresh unbound port in {@code d} that domain {@code remoteDomid} may bind to
     * ({@code DOMID_SELF}: {@code d} itself), allocated by the hypervisor (no permission check).
     */
    public int allocUnbound(EvtchnDomain d, int remoteDomid) {
        return binder.allocUnbound(d, remoteDomid, null);
    }

    /** {@code EVTCHNOP_alloc_unbound} by {@code caller} in {@code d}: {@code -EPERM} unless allowed. */
    int allocUnboundByGuest(EvtchnDomain caller, EvtchnDomain d, int remoteDomid) {
        return binder.allocUnbound(d, remoteDomid, caller);
    }

    /**
     * Connects a fresh port of {@code local} to port {@code remotePort} of domain {@code remoteDomid}
     * ({@code DOMID_SELF}: {@code local}), which must be unbound and reserved for {@code local}.
     * Returns the local port, left pending; {@code -ESRCH} for an unknown domain.
     */
    public int bindInterdomain(EvtchnDomain local, int remoteDomid, int remotePort) {
        EvtchnDomain remote = remoteDomid == DomId.SELF ? local : domains.find(remoteDomid);
        if (remote == null) {
            return -ESRCH;
        }
        return binder.bindInterdomain(local, remote, remotePort);
    }

    /** {@code EVTCHNOP_bind_virq} in {@code d}. */
    public int bindVirq(EvtchnDomain d, int virq, int vcpu) {
        return binder.bindVirq(d, virq, vcpu);
    }

    /** {@code EVTCHNOP_bind_ipi} in {@code d}. */
    public int bindIpi(EvtchnDomain d, int vcpu) {
        return binder.bindIpi(d, vcpu);
    }

    /** {@code EVTCHNOP_bind_vcpu} in {@code d}. */
    public int bindVcpu(EvtchnDomain d, int port, int vcpu) {
        return binder.bindVcpu(d, port, vcpu);
    }

    /**
     * An unbound port of {@code d} for {@code remoteDomid} whose events the hypervisor consumes:
     * a send from the bound remote end calls {@code consumer} instead of raising the port, the
     * guest cannot close, send on or re-bind it, and {@link #notify} raises the remote end.
     */
    public int allocXenUnbound(EvtchnDomain d, int vcpu, int remoteDomid, XenConsumer consumer) {
        return binder.allocXenUnbound(d, vcpu, remoteDomid, Objects.requireNonNull(consumer, "consumer"));
    }

    /** {@code EVTCHNOP_close} by the guest owning {@code d}: Xen-attached ports give {@code -EINVAL}. */
    public int close(EvtchnDomain d, int port) {
        return closer.close(d, port, true);
    }

    /** Closes a port the hypervisor allocated with {@link #allocXenUnbound} (or any other port). */
    public int closeXen(EvtchnDomain d, int port) {
        return closer.close(d, port, false);
    }

    /** {@code EVTCHNOP_send} by the guest owning {@code d}. */
    public int send(EvtchnDomain d, int port) {
        return sender.send(d, port, true);
    }

    /**
     * A send from the hypervisor's side of {@code d}'s {@code port}: {@code EVTCHNOP_send} semantics,
     * Xen-attached ports included ({@code notify_via_xen_event_channel}).
     */
    public int notify(EvtchnDomain d, int port) {
        return sender.send(d, port, false);
    }

    /** {@code EVTCHNOP_unmask} in {@code d}. */
    public int unmask(EvtchnDomain d, int port) {
        return sender.unmask(d, port);
    }

    /**
     * {@code EVTCHNOP_reset} of {@code d} on behalf of {@code caller} (permission already checked):
     * closes every guest-closable port. {@code d} other than {@code caller} must be paused.
     */
    public int reset(EvtchnDomain caller, EvtchnDomain d) {
        return closer.reset(caller, d, false);
    }

    /** {@code EVTCHNOP_reset_cont}: resume a preempted reset; resets here are never preempted. */
    int resetContinue(EvtchnDomain caller, EvtchnDomain d) {
        return closer.reset(caller, d, true);
    }

    /** Raises per-vCPU {@code virq} (TIMER, DEBUG, ...) on {@code vcpu} of {@code d}, if bound. */
    public void sendVirq(EvtchnDomain d, int vcpu, int virq) {
        sender.sendVcpuVirq(d, vcpu, virq);
    }

    /** Raises per-domain or global {@code virq} in {@code d}, if bound there. */
    public void sendDomainVirq(EvtchnDomain d, int virq) {
        sender.sendDomainVirq(d, virq);
    }

    /** Raises global {@code virq} in the domain handling it: dom0 unless {@link #setGlobalVirqHandler}. */
    public void sendGlobalVirq(int virq) {
        sender.sendGlobalVirq(virq);
    }

    /**
     * {@code XEN_DOMCTL_set_virq_handler}: global {@code virq} goes to {@code d}. {@code -EINVAL} for a
     * VIRQ that is not global or a dying domain, {@code -EBUSY} while the current handler has it bound.
     */
    public int setGlobalVirqHandler(int virq, EvtchnDomain d) {
        return globalVirqs.set(virq, Objects.requireNonNull(d, "d"));
    }

    /** The domain currently handling global {@code virq}, or null (no handler set and no dom0). */
    public EvtchnDomain globalVirqHandler(int virq) {
        return globalVirqs.handler(virq);
    }

    /** {@code evtchn_destroy}: closes every port of dying {@code d}; peers revert to unbound. */
    public void destroy(EvtchnDomain d) {
        closer.destroy(d);
    }

    /** Whether {@code port} of {@code d} is bound and its pending bit is set. */
    public boolean isPending(EvtchnDomain d, int port) {
        return sender.poll(d, port) == 1;
    }

    /** For {@code SCHEDOP_poll}: 1 pending, 0 not pending, {@code -EINVAL} for an invalid or unbound port. */
    public int poll(EvtchnDomain d, int port) {
        return sender.poll(d, port);
    }

    /** Whether {@code port} of {@code d} is masked (unbound and invalid ports count as masked). */
    public boolean isMasked(EvtchnDomain d, int port) {
        return sender.isMasked(d, port);
    }

    /** A snapshot of {@code port} of {@code d}, or empty when the port is not valid. */
    public Optional<PortStatus> status(EvtchnDomain d, int port) {
        EventChannels table = d.eventChannels();
        if (!table.isValid(port)) {
            return Optional.empty();
        }
        table.lock().lock();
        try {
            return Optional.of(snapshot(d, table.channel(port)));
        } finally {
            table.lock().unlock();
        }
    }

    /** Snapshots of every port of {@code d} that is in use, port 0 excluded, in port order. */
    public List<PortStatus> list(EvtchnDomain d) {
        return list(d, 1, Integer.MAX_VALUE);
    }

    /**
     * Snapshots of at most {@code max} ports of {@code d} in use, from {@code firstPort} on (port 0
     * never), in port order, taken under the domain's event lock so they agree with each other.
     */
    public List<PortStatus> list(EvtchnDomain d, int firstPort, int max) {
        EventChannels table = d.eventChannels();
        List<PortStatus> ports = new ArrayList<>();
        table.lock().lock();
        try {
            for (int port = Math.max(1, firstPort); port < table.validPorts() && ports.size() < max; port++) {
                EventChannel chn = table.channel(port);
                if (chn.state != ChannelState.FREE) {
                    ports.add(snapshot(d, chn));
                }
            }
        } finally {
            table.lock().unlock();
        }
        return ports;
    }

    /** Under {@code d}'s event lock. */
    private static PortStatus snapshot(EvtchnDomain d, EventChannel chn) {
        int remoteDomid = switch (chn.state) {
            case UNBOUND -> chn.unboundRemoteDomid;
            case INTERDOMAIN -> chn.remoteDomain.domid();
            default -> DomId.INVALID;
        };
        int remotePort = chn.state == ChannelState.INTERDOMAIN ? chn.remotePort : 0;
        int virq = chn.state == ChannelState.VIRQ ? chn.virq : -1;
        boolean pending = chn.usable() && TwoLevelAbi.isPending(d, chn.port);
        boolean masked = !chn.usable() || TwoLevelAbi.isMasked(d, chn.port);
        PortLabels.PortLabel label = chn.label;
        return new PortStatus(chn.port, chn.state, chn.notifyVcpu, remoteDomid, remotePort, virq,
                chn.xenConsumer != null, pending, masked, label == null ? "" : label.text(),
                chn.counters.snapshot());
    }
}
