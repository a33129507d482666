package org.hvsim.hv.evtchn;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.hvsim.hv.abi.DomId;

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

    EventChannel(int port) {
        this.port = port;
    }

    /** Xen's {@code evtchn_usable}: bound, and consumed by the guest rather than by Xen. */
    boolean usable() {
        return xenConsumer == null && state.isBound();
    }

    /**
     * Xen's {@code evtchn_port_set_pending}: raise this port of {@code owner} for {@code vcpu}, if
     * the guest consumes it. The caller holds a lock that keeps the binding stable.
     */
    void setPending(EvtchnDomain owner, int vcpu) {
        if (usable()) {
            TwoLevelAbi.setPending(owner, vcpu, port);
        }
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
