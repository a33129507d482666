package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EAGAIN;
import static org.hvsim.hv.abi.Errno.EBUSY;
import static org.hvsim.hv.abi.Errno.EINVAL;

import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.hv.evtchn.trace.EvtchnTrace;

/**
 * Closing ports: close, reset (every port of a domain) and destroy (at domain destruction). Closing
 * one end of an interdomain channel reverts the other end to unbound, reserved for the closer's
 * domain, so it can be bound again.
 *
 * <p>Threads: any. Closing an interdomain port takes both domains' event locks in
 * {@link DomainLocks} order and then both channels' write locks, like Xen's {@code evtchn_close}.
 */
final class ChannelCloser {
    private final GlobalVirqHandlers globalVirqs;
    private final EvtchnTrace trace;

    ChannelCloser(GlobalVirqHandlers globalVirqs, EvtchnTrace trace) {
        this.globalVirqs = globalVirqs;
        this.trace = trace;
    }

    /**
     * {@code evtchn_close}: free {@code port1} of {@code d1}. A guest ({@code guest}) may not close a
     * Xen-attached port. Returns 0 or {@code -EINVAL} (invalid, free or reserved port).
     */
    int close(EvtchnDomain d1, int port1, boolean guest) {
        EventChannels table = d1.eventChannels();
        if (!table.isValid(port1)) {
            return -EINVAL;
        }
        EventChannel chn1 = table.channel(port1);
        ReentrantLock lock1 = table.lock();
        EvtchnDomain d2 = null;
        lock1.lock();
        try {
            if (chn1.state == ChannelState.INTERDOMAIN && chn1.remoteDomain != d1) {
                d2 = chn1.remoteDomain;
                ReentrantLock lock2 = d2.eventChannels().lock();
                if (DomainLocks.before(d1, d2)) {
                    lock2.lock();
                } else {
                    lock1.unlock();
                    lock2.lock();
                    lock1.lock();
                }
            }
            return closeLocked(d1, chn1, guest, d2);
        } finally {
            if (d2 != null) {
                d2.eventChannels().lock().unlock();
            }
            lock1.unlock();
        }
    }

    /**
     * The body of {@code evtchn_close} with {@code d1}'s event lock held, and {@code lockedRemote}'s
     * when not null. The port may have changed while {@code d1}'s lock was dropped to take the locks
     * in order; if it is now connected to a domain whose lock is not held, it was closed and
     * re-bound meanwhile, and this close fails as if it had found the port free, as in Xen.
     */
    private int closeLocked(EvtchnDomain d1, EventChannel chn1, boolean guest, EvtchnDomain lockedRemote) {
        if (chn1.xenConsumer != null && guest) {
            return -EINVAL;
        }
        EventChannels table = d1.eventChannels();
        switch (chn1.state) {
            case FREE, RESERVED -> {
                return -EINVAL;
            }
            case VIRQ -> {
                int vcpu = Virq.kind(chn1.virq) == Virq.Kind.PER_VCPU ? chn1.notifyVcpu : 0;
                table.setVirqPort(vcpu, chn1.virq, 0);
                freeLocked(d1, chn1);
            }
            case INTERDOMAIN -> {
                EvtchnDomain d2 = chn1.remoteDomain;
                if (d2 != d1 && d2 != lockedRemote) {
                    return -EINVAL;
                }
                EventChannel chn2 = d2.eventChannels().channel(chn1.remotePort);
                chn1.writeLockWith(chn2);
                try {
                    chn1.trace(trace, EvtchnTraceRecord.KIND_CLOSE, d1);
                    table.free(chn1);
                    chn2.state = ChannelState.UNBOUND;
                    chn2.remoteDomain = null;
                    chn2.remotePort = 0;
                    chn2.unboundRemoteDomid = d1.domid();
                } finally {
                    chn1.writeUnlockWith(chn2);
                }
            }
            default -> freeLocked(d1, chn1);
        }
        return 0;
    }

    private void freeLocked(EvtchnDomain d, EventChannel chn) {
        chn.lock.writeLock().lock();
        try {
            chn.trace(trace, EvtchnTraceRecord.KIND_CLOSE, d);
            d.eventChannels().free(chn);
        } finally {
            chn.lock.writeLock().unlock();
        }
    }

    /**
     * {@code evtchn_reset}: close every guest-closable port of {@code d}, on behalf of
     * {@code current}. Another domain must be paused by the toolstack ({@code -EINVAL}); a reset
     * already running gives {@code -EBUSY}; a port bound while this one ran gives {@code -EAGAIN}.
     * A 2-level-only hypervisor has no FIFO state to tear down.
     *
     * <p>{@code resuming} is {@code EVTCHNOP_reset_cont}, Xen's continuation of a reset it preempted.
     * A reset here closes at most 4095 ports and is never preempted, so there is never one to
     * resume: the answer is Xen's for "no reset in progress", {@code -EBUSY}.
     */
    int reset(EvtchnDomain current, EvtchnDomain d, boolean resuming) {
        if (d != current && !d.isControllerPaused()) {
            return -EINVAL;
        }
        if (resuming) {
            return -EBUSY;
        }
        EventChannels table = d.eventChannels();
        if (!table.beginReset()) {
            return -EBUSY;
        }
        boolean ended = false;
        try {
            for (int port = 1; table.isValid(port) && table.hasGuestChannels(); port++) {
                close(d, port, true);
            }
            table.lock().lock();
            try {
                table.endReset();
                ended = true;
                return table.hasGuestChannels() ? -EAGAIN : 0;
            } finally {
                table.lock().unlock();
            }
        } finally {
            if (!ended) {
                table.endReset();
            }
        }
    }

    /**
     * {@code evtchn_destroy}: close every port of dying {@code d}, Xen-attached ones included, from
     * the top down; interdomain peers revert to unbound for {@code d}. Global VIRQs it handled go
     * back to dom0.
     */
    void destroy(EvtchnDomain d) {
        if (!d.isDying()) {
            throw new IllegalStateException("evtchn_destroy of d" + d.domid() + ", which is not dying");
        }
        EventChannels table = d.eventChannels();
        table.lock().lock();
        table.lock().unlock();
        for (int port = table.validPorts() - 1; port > 0; port--) {
            close(d, port, false);
        }
        globalVirqs.clear(d);
    }
}
