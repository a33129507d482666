package org.hvsim.hv.evtchn;

import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.VcpuInfo;

/**
 * The hypervisor side of the 2-level ABI ({@code event_2l.c}): pending and mask bitmaps in the
 * domain's shared_info, the per-vCPU selector and {@code evtchn_upcall_pending}.
 *
 * <p>Every write is an atomic read-modify-write of the aligned 64-bit word holding the bit, because
 * the guest writes the same words concurrently. Mask bits are guest-written and only read here. The
 * guest can set or clear any of these bits at will; they are hints this class acts on, never state
 * the hypervisor's own bookkeeping depends on.
 *
 * <p>Threads: any. Callers hold a lock that keeps the port's binding stable (its domain's event
 * lock or the port's channel lock), as Xen requires of its port ops.
 */
public final class TwoLevelAbi {
    /** Bit 0 of the first word of vcpu_info is {@code evtchn_upcall_pending} (byte 0). */
    private static final long UPCALL_PENDING = 1L;

    /** {@link #setPending}: the port was already pending; the raise folded into that edge. */
    public static final int RAISE_COALESCED = 0;
    /** {@link #setPending}: a new edge, held back by the port's mask. */
    public static final int RAISE_MASKED = 1;
    /** {@link #setPending}: a new edge on an unmasked port; the vCPU's next upcall takes it. */
    public static final int RAISE_DELIVERED = 2;

    private TwoLevelAbi() {}

    /**
     * {@code evtchn_2l_set_pending}: test-and-set the pending bit; on a new edge of an unmasked port
     * whose selector bit was newly set, mark events pending on {@code vcpu}; then wake pollers.
     *
     * @return {@link #RAISE_COALESCED}, {@link #RAISE_MASKED} or {@link #RAISE_DELIVERED}
     */
    public static int setPending(EvtchnDomain d, int vcpu, int port) {
        GuestMemory s = d.sharedInfo();
        long bit = SharedInfo.bit(port);
        if ((s.getAndBitwiseOrLong(SharedInfo.pendingWord(port), bit) & bit) != 0) {
            return RAISE_COALESCED;
        }
        int outcome = RAISE_MASKED;
        if ((s.getLongAcquire(SharedInfo.maskWord(port)) & bit) == 0) {
            outcome = RAISE_DELIVERED;
            if (setSelector(s, vcpu, port)) {
                markEventsPending(d, vcpu);
            }
        }
        d.checkPollers(port);
        return outcome;
    }

    /** {@code evtchn_2l_clear_pending}. */
    public static void clearPending(EvtchnDomain d, int port) {
        d.sharedInfo().getAndBitwiseAndLong(SharedInfo.pendingWord(port), ~SharedInfo.bit(port));
    }

    /**
     * {@code evtchn_2l_unmask}: test-and-clear the mask bit; if it was set, the port is pending and
     * the selector bit of {@code vcpu} (the port's notify vCPU) was newly set, mark events pending.
     *
     * @return whether the unmask released a pending edge the mask held (the vCPU now sees it)
     */
    public static boolean unmask(EvtchnDomain d, int vcpu, int port) {
        GuestMemory s = d.sharedInfo();
        long bit = SharedInfo.bit(port);
        if ((s.getAndBitwiseAndLong(SharedInfo.maskWord(port), ~bit) & bit) != 0
                && (s.getLongAcquire(SharedInfo.pendingWord(port)) & bit) != 0) {
            if (setSelector(s, vcpu, port)) {
                markEventsPending(d, vcpu);
            }
            return true;
        }
        return false;
    }

    public static boolean isPending(EvtchnDomain d, int port) {
        return (d.sharedInfo().getLongAcquire(SharedInfo.pendingWord(port)) & SharedInfo.bit(port)) != 0;
    }

    public static boolean isMasked(EvtchnDomain d, int port) {
        return (d.sharedInfo().getLongAcquire(SharedInfo.maskWord(port)) & SharedInfo.bit(port)) != 0;
    }

    /** Whether {@code evtchn_upcall_pending} of {@code vcpu} is set. */
    public static boolean isUpcallPending(EvtchnDomain d, int vcpu) {
        return (d.sharedInfo().getLongAcquire(vcpuWord(vcpu)) & UPCALL_PENDING) != 0;
    }

    /** Test-and-set of the selector bit {@code port / 64} of {@code vcpu}; true when newly set. */
    private static boolean setSelector(GuestMemory s, int vcpu, int port) {
        long bit = 1L << (port >>> 6);
        return (s.getAndBitwiseOrLong(SharedInfo.vcpuInfo(vcpu) + VcpuInfo.EVTCHN_PENDING_SEL, bit) & bit) == 0;
    }

    /**
     * {@code vcpu_mark_events_pending}: set {@code evtchn_upcall_pending} with an atomic OR on the
     * aligned word at vcpu_info offset 0 (the guest's mask byte 1 is left alone); kick the vCPU on 0→1.
     */
    private static void markEventsPending(EvtchnDomain d, int vcpu) {
        if ((d.sharedInfo().getAndBitwiseOrLong(vcpuWord(vcpu), UPCALL_PENDING) & UPCALL_PENDING) == 0) {
            d.vcpuKick(vcpu);
        }
    }

    private static long vcpuWord(int vcpu) {
        return SharedInfo.vcpuInfo(vcpu) + VcpuInfo.EVTCHN_UPCALL_PENDING;
    }
}
