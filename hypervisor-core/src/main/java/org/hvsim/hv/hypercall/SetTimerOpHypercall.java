package org.hvsim.hv.hypercall;

import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Errno;

/**
 * {@code set_timer_op(timeout)} (hypercall 15): the calling vCPU's one-shot timer, raising VIRQ_TIMER
 * at absolute system time {@code timeout}; 0 cancels it. As Xen does (do_set_timer_op), a timeout more
 * than 2^50 ns ahead is taken for a wrapped guest clock and fires in 100 ms instead; one in the past
 * fires at once.
 */
final class SetTimerOpHypercall implements HypercallHandler {
    static final long FAR_FUTURE_CLAMP_NS = 100_000_000L;

    private final Hypervisor hv;

    SetTimerOpHypercall(Hypervisor hv) {
        this.hv = hv;
    }

    @Override
    public long call(HypercallContext ctx, long timeout, long a2, long a3, long a4, long a5) {
        if (!ctx.isLocal()) {
            return -Errno.EINVAL;
        }
        if (timeout == 0) {
            ctx.vcpu().stopSingleshot();
            return 0;
        }
        long now = hv.clock().now();
        long offset = timeout - now;
        if (offset > 0 && (offset >>> 50) != 0) {
            ctx.vcpu().setSingleshot(now + FAR_FUTURE_CLAMP_NS);
        } else {
            ctx.vcpu().setSingleshot(Math.max(timeout, 1));
        }
        return 0;
    }
}
