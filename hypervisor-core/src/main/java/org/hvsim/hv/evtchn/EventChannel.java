package org.hvsim.hv.evtchn;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.hv.evtchn.PortLabels.PortLabel;
import org.hvsim.hv.evtchn.trace.EvtchnTrace;

/**
 * One port's hypervisor-private state ({@code struct evtchn}). The guest never sees it; its pending
 * and mask bits live in shared_info.
 *
 * <p>Threads: state changes happen with the owning domain's {@link EventChannels#lock()} held
 * <em>and</em> this channel's write {@link #lock}; a reader holds either. The send paths hold only
 * the read lock of the sending port: the state of its interdomain peer cannot change meanwhile,
 * because binding or closing either end takes both ends' write locks. {@link #notifyVcpu} is
 * changed by bind_vcpu under the domain lock alone, so it is volatile and senders may see the old
 * value, as in Xen.
 */
final class EventChannel {
    private static final AtomicLong ORDER = new AtomicLong();

    final int port;
    /** A total order over all channels, for taking two channel locks without deadlock. */
    final long lockOrder = ORDER.incrementAndGet();
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    ChannelState state = ChannelState.FREE;
    volatile int notifyVcpu;
    /** UNBOUND: the domain allowed to bind. */
    int unboundRemoteDomid = DomId.INVALID;
    /** INTERDOMAIN: the remote domain and port. */
    EvtchnDomain remoteDomain;
    int remotePort;
    /** VIRQ: the VIRQ number. */
    int virq = -1;
    /** Non-null for a Xen-attached port: the hypervisor consumes its events. */
    XenConsumer xenConsumer;
    /** What the port is for, or null; set by its binder or by dom0, cleared when the port is freed. */
    volatile PortLabel label;
    final PortCounters counters = new PortCounters();

    EventChannel(int port) {
        this.port = port;
    }

    /** Xen's {@code evtchn_usable}: bound, and consumed by the guest rather than by Xen. */
    boolean usable() {
        return xenConsumer == null && state.isBound();
    }

    /**
     * Xen's {@code evtchn_port_set_pending}: raise this port of {@code owner} for its notify vCPU, if
     * the guest consumes it, and count what happened. The caller holds a lock that keeps the binding
     * stable.
     *
     * @return {@link TwoLevelAbi#setPending}'s outcome, or -1 when the port is not the guest's to raise
     */
    int raise(EvtchnDomain owner) {
        if (!usable()) {
            return -1;
        }
        int outcome = TwoLevelAbi.setPending(owner, notifyVcpu, port);
        counters.countRaise(outcome);
        return outcome;
    }

    /** {@link #raise}, traced as a delivery or a masked edge when a watcher is attached (not for sends). */
    void raiseTraced(EvtchnDomain owner, EvtchnTrace trace) {
        int outcome = raise(owner);
        if (outcome > TwoLevelAbi.RAISE_COALESCED && trace.enabled()) {
            trace.record(outcome == TwoLevelAbi.RAISE_MASKED ? EvtchnTraceRecord.KIND_MASKED
                    : EvtchnTraceRecord.KIND_DELIVER, owner.domid(), port, notifyVcpu, 0, 0, 0, Math.max(virq, 0),
                    0, labelId());
        }
    }

    /**
     * Records the send from this port of {@code owner} that raised {@code target} of {@code targetDom}
     * (null for an unbound port) with {@code sendStatus} ({@code EvtchnTraceRecord.SEND_*}).
     */
    void traceSend(EvtchnTrace trace, EvtchnDomain owner, EvtchnDomain targetDom, EventChannel target, int sendStatus) {
        if (!trace.admit()) {
            return;
        }
        if (target == null) {
            trace.record(EvtchnTraceRecord.KIND_SEND, owner.domid(), port, 0, sendStatus, unboundRemoteDomid, 0, 0, 0,
                    labelId());
        } else {
            trace.record(EvtchnTraceRecord.KIND_SEND, owner.domid(), port, target.notifyVcpu, sendStatus,
                    targetDom.domid(), target.port, 0, target.labelId(), labelId());
        }
    }

    /** The SEND record status for what {@link #raise} returned. */
    static int sendStatus(int raiseOutcome) {
        return switch (raiseOutcome) {
            case TwoLevelAbi.RAISE_COALESCED -> EvtchnTraceRecord.SEND_COALESCED;
            case TwoLevelAbi.RAISE_MASKED -> EvtchnTraceRecord.SEND_MASKED;
            case TwoLevelAbi.RAISE_DELIVERED -> EvtchnTraceRecord.SEND_DELIVERED;
            default -> EvtchnTraceRecord.SEND_UNBOUND;
        };
    }

    /**
     * Records a trace event of {@code kind} about this port as it is bound now (its peer for
     * an unbound or interdomain port), if a watcher is attached. The caller holds a lock that keeps
     * the binding stable.
     */
    void trace(EvtchnTrace trace, int kind, EvtchnDomain owner) {
        if (!trace.enabled()) {
            return;
        }
        int remoteDomid = switch (state) {
            case UNBOUND -> unboundRemoteDomid;
            case INTERDOMAIN -> remoteDomain.domid();
            default -> 0;
        };
        int rport = state == ChannelState.INTERDOMAIN ? remotePort : 0;
        trace.record(kind, owner.domid(), port, notifyVcpu, state.statusCode(), remoteDomid, rport,
                Math.max(virq, 0), 0, labelId());
    }

    /** The label's number for trace records (0: none). */
    int labelId() {
        PortLabel l = label;
        return l == null ? 0 : l.id();
    }

    /** Back to FREE with the defaults a reused port starts from (notify vCPU 0). */
    void reset() {
        state = ChannelState.FREE;
        notifyVcpu = 0;
        unboundRemoteDomid = DomId.INVALID;
        remoteDomain = null;
        remotePort = 0;
        virq = -1;
        xenConsumer = null;
        label = null;
        counters.clear();
    }

    /** Write-locks this channel and {@code other} (distinct) in {@link #lockOrder}. */
    void writeLockWith(EventChannel other) {
        EventChannel first = lockOrder < other.lockOrder ? this : other;
        EventChannel second = first == this ? other : this;
        first.lock.writeLock().lock();
        second.lock.writeLock().lock();
    }

    void writeUnlockWith(EventChannel other) {
        other.lock.writeLock().unlock();
        lock.writeLock().unlock();
    }
}
