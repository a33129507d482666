package org.hvsim.hv.hypercall;

import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.MulticallEntry;

/**
 * {@code multicall(entries, nr_calls)} (hypercall 13): runs an array of {@code multicall_entry} in
 * order, writing each result back, as Xen's do_multicall: a nested multicall gets -EINVAL, a fault on
 * the array ends the call with -EFAULT, and the vCPU may be preempted between entries.
 */
final class MulticallHypercall implements HypercallHandler {
    /** Most entries one multicall runs (Xen relies on continuations; hvsim bounds the loop). */
    static final long MAX_CALLS = 1 << 16;

    private static final ThreadLocal<Boolean> IN_MULTICALL = ThreadLocal.withInitial(() -> false);

    private final HypercallTable table;

    MulticallHypercall(HypercallTable table) {
        this.table = table;
    }

    @Override
    public long call(HypercallContext ctx, long entries, long nrCalls, long a3, long a4, long a5) {
        if (IN_MULTICALL.get()) {
            return -Errno.EINVAL;
        }
        if (nrCalls < 0 || nrCalls > MAX_CALLS) {
            return -Errno.EINVAL;
        }
        GuestMemory m = ctx.memory();
        IN_MULTICALL.set(true);
        try {
            for (long i = 0; i < nrCalls; i++) {
                if (i > 0 && ctx.vcpu() != null) {
                    ctx.vcpu().hypervisorPreemptionPoint();
                }
                long at = entries + i * MulticallEntry.SIZE;
                if (!m.isAccessible(at, MulticallEntry.SIZE)) {
                    return -Errno.EFAULT;
                }
                MulticallEntry e = MulticallEntry.read(m, at);
                long[] a = e.args();
                long result = table.isMulticallable(e.op())
                        ? table.dispatch(ctx, e.op(), a[0], a[1], a[2], a[3], a[4])
                        : -Errno.EINVAL;
                m.putLong(at + MulticallEntry.RESULT, result);
            }
            return 0;
        } finally {
            IN_MULTICALL.set(false);
        }
    }
}
