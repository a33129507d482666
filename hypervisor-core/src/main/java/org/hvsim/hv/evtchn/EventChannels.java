package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ENOSPC;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.Virq;

/**
 * One domain's event channel port table: the per-port state, the per-vCPU VIRQ→port map and the
 * domain's event lock. Ports are allocated lowest-free-first up to {@code max_evtchn_port}; port 0
 * is reserved at creation. Channel structures are created in buckets of {@value #PORTS_PER_BUCKET}
 * as allocation reaches them, and a port is "valid" (Xen's {@code port_is_valid}) once its bucket
 * exists: an operation on a port beyond that fails with {@code -EINVAL}, while a valid but unused
 * port reports closed.
 *
 * <p>Threads: any. Allocation, binding and closing hold {@link #lock()}; the send paths read the
 * bucket array and the VIRQ map without it ({@link #isValid} is a volatile read that publishes the
 * buckets below it).
 */
public final class EventChannels {
    /** Ports per bucket of channel structures ({@code EVTCHNS_PER_BUCKET} on x86-64). */
    static final int PORTS_PER_BUCKET = 64;
    private static final int NR_PORTS = EvtchnOp.NR_2L_CHANNELS;

    private final EvtchnDomain owner;
    private final int maxPort;
    private final ReentrantLock lock = new ReentrantLock();
    private final EventChannel[][] buckets = new EventChannel[NR_PORTS / PORTS_PER_BUCKET][];
    private volatile int validPorts;
    /** Index {@code vcpu * NR_VIRQS + virq}; 0 = not bound. Non-per-vCPU VIRQs use vCPU 0's row. */
    private final AtomicIntegerArray virqToPort =
            new AtomicIntegerArray(SharedInfo.LEGACY_MAX_VCPUS * Virq.NR_VIRQS);
    /** Ports not FREE, port 0 excluded; written under {@link #lock}. */
    private volatile int activeChannels;
    /** Of those, Xen-attached ones; written under {@link #lock}. */
    private volatile int xenChannels;
    private final AtomicBoolean resetInProgress = new AtomicBoolean();
    private final LongAdder rejectedOps = new LongAdder();

    /**
     * @param owner   the domain this table belongs to
     * @param maxPort the domain's {@code max_evtchn_port}, the highest port it may use; values above
     *                the 2-level ABI's 4095 are capped to it, as Xen caps them to {@code max_evtchns}
     */
    public EventChannels(EvtchnDomain owner, int maxPort) {
        this.owner = Objects.requireNonNull(owner, "owner");
        if (maxPort < 0) {
            throw new IllegalArgumentException("max_evtchn_port must be >= 0: " + maxPort);
        }
        this.maxPort = Math.min(maxPort, NR_PORTS - 1);
        buckets[0] = newBucket(0);
        buckets[0][0].state = ChannelState.RESERVED;
        validPorts = PORTS_PER_BUCKET;
    }

    public EvtchnDomain owner() {
        return owner;
    }

    /** The highest port this domain may allocate. */
    public int maxPort() {
        return maxPort;
    }

    /** Ports in use (bound or unbound), port 0 not counted. */
    public int activeChannels() {
        return activeChannels;
    }

    /** How many event channel hypercalls of this domain failed (a guest-visible errno each). */
    public long rejectedOps() {
        return rejectedOps.sum();
    }

    void countRejected() {
        rejectedOps.increment();
    }

    /** The domain's {@code event_lock}: held to allocate, bind, close and reset. */
    ReentrantLock lock() {
        return lock;
    }

    /** Xen's {@code port_is_valid}: the port's bucket exists. Ports are unsigned: negative is invalid. */
    boolean isValid(int port) {
        return port >= 0 && port < validPorts;
    }

    /** The channel of a port for which {@link #isValid} returned true. */
    EventChannel channel(int port) {
        return buckets[port / PORTS_PER_BUCKET][port % PORTS_PER_BUCKET];
    }

    /** Ports {@code 0..validPorts()-1} are valid. */
    int validPorts() {
        return validPorts;
    }

    int virqPort(int vcpu, int virq) {
        return virqToPort.get(vcpu * Virq.NR_VIRQS + virq);
    }

    /** Under {@link #lock}. */
    void setVirqPort(int vcpu, int virq, int port) {
        virqToPort.set(vcpu * Virq.NR_VIRQS + virq, port);
    }

    /**
     * Xen's {@code get_free_port}, under {@link #lock}: the lowest FREE port, creating buckets as the
     * search reaches them; {@code -EINVAL} if the domain is dying, {@code -ENOSPC} when every port up
     * to {@link #maxPort} is in use. The port stays FREE until the caller binds it.
     */
    int getFreePort() {
        if (owner.isDying()) {
            return -EINVAL;
        }
        for (int port = 0; port <= maxPort; port++) {
            if (port >= validPorts) {
                buckets[port / PORTS_PER_BUCKET] = newBucket(port);
                validPorts = port + PORTS_PER_BUCKET;
            }
            if (channel(port).state == ChannelState.FREE) {
                return port;
            }
        }
        return -ENOSPC;
    }

    /** Under {@link #lock} and the channel's write lock: a FREE port has just been bound. */
    void activated(EventChannel chn) {
        activeChannels = activeChannels + 1;
        if (chn.xenConsumer != null) {
            xenChannels = xenChannels + 1;
        }
    }

    /**
     * Xen's {@code evtchn_free}, under {@link #lock} and the channel's write lock: clear the pending
     * bit so a re-bound port starts clean, and reset the binding (notify vCPU back to 0).
     */
    void free(EventChannel chn) {
        if (chn.usable()) {
            TwoLevelAbi.clearPending(owner, chn.port);
        }
        if (chn.xenConsumer != null) {
            xenChannels = xenChannels - 1;
        }
        activeChannels = activeChannels - 1;
        chn.reset();
    }

    /** Whether guest-closable channels remain: more active channels than Xen-attached ones. */
    boolean hasGuestChannels() {
        int xen = xenChannels;
        return activeChannels > xen;
    }

    /** Marks a reset as running; false if one already is. */
    boolean beginReset() {
        return resetInProgress.compareAndSet(false, true);
    }

    void endReset() {
        resetInProgress.set(false);
    }

    private static EventChannel[] newBucket(int firstPort) {
        EventChannel[] bucket = new EventChannel[PORTS_PER_BUCKET];
        for (int i = 0; i < PORTS_PER_BUCKET; i++) {
            bucket[i] = new EventChannel(firstPort + i);
        }
        return bucket;
    }
}
