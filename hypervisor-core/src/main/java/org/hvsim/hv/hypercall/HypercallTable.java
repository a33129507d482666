package org.hvsim.hv.hypercall;

import java.util.concurrent.atomic.AtomicLongArray;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.HypercallNr;

/**
 * The hypercall table (Xen's {@code hypercall_table}): for each hypercall number a handler and whether
 * only a privileged domain may make it. {@link #dispatch} checks the number and the privilege once,
 * runs the handler, and maps a fault on the caller's memory to -EFAULT. Unused numbers give -ENOSYS.
 * Thread-safe (immutable after construction; counters are atomic).
 */
public final class HypercallTable {
    private final HypercallHandler[] handlers = new HypercallHandler[HypercallNr.NR_HYPERCALLS];
    private final boolean[] privileged = new boolean[HypercallNr.NR_HYPERCALLS];
    private final AtomicLongArray calls = new AtomicLongArray(HypercallNr.NR_HYPERCALLS);

    HypercallTable() {}

    /** The table hvsim boots with. */
    public static HypercallTable standard(Hypervisor hv) {
        HypercallTable t = new HypercallTable();
        t.register(HypercallNr.XEN_VERSION, false, new XenVersionHypercall(hv));
        t.register(HypercallNr.CONSOLE_IO, false, new ConsoleIoHypercall(hv));
        t.register(HypercallNr.SCHED_OP, false, new SchedOpHypercall(hv));
        t.register(HypercallNr.SET_TIMER_OP, false, new SetTimerOpHypercall(hv));
        t.register(HypercallNr.VCPU_OP, false, new VcpuOpHypercall(hv));
        t.register(HypercallNr.MEMORY_OP, false,
                (ctx, cmd, arg, a3, a4, a5) -> hv.memoryOps().op(ctx.domain(), (int) cmd, ctx.memory(), arg));
        t.register(HypercallNr.MMU_UPDATE, false, (ctx, reqs, count, done, foreign, a5) ->
                hv.memoryOps().mmuUpdate(ctx.domain(), ctx.memory(), reqs, (int) count, done, (int) foreign));
        t.register(HypercallNr.EVENT_CHANNEL_OP, false,
                (ctx, cmd, arg, a3, a4, a5) -> hv.evtchnOps().op(ctx.domain(), (int) cmd, ctx.memory(), arg));
        t.register(HypercallNr.EVENT_CHANNEL_OP_COMPAT, false,
                (ctx, arg, a2, a3, a4, a5) -> hv.evtchnOps().opCompat(ctx.domain(), ctx.memory(), arg));
        t.register(HypercallNr.GRANT_TABLE_OP, false, (ctx, cmd, uop, count, a4, a5) ->
                hv.gnttabOps().op(ctx.domain(), cmd, ctx.memory(), uop, count, () -> {
                    if (ctx.vcpu() != null) {
                        ctx.vcpu().hypervisorPreemptionPoint();
                    }
                }));
        t.register(HypercallNr.DOMCTL, true, new DomctlHypercall(hv));
        t.register(HypercallNr.SYSCTL, true, new SysctlHypercall(hv));
        t.register(HypercallNr.MULTICALL, false, new MulticallHypercall(t));
        return t;
    }

    void register(int nr, boolean privilegedOnly, HypercallHandler handler) {
        if (handlers[nr] != null) {
            throw new IllegalStateException("hypercall " + HypercallNr.name(nr) + " registered twice");
        }
        handlers[nr] = handler;
        privileged[nr] = privilegedOnly;
    }

    /** Runs hypercall {@code nr} for {@code ctx}. */
    public long dispatch(HypercallContext ctx, long nr, long a1, long a2, long a3, long a4, long a5) {
        if (nr < 0 || nr >= HypercallNr.NR_HYPERCALLS || handlers[(int) nr] == null) {
            return -Errno.ENOSYS;
        }
        int n = (int) nr;
        if (privileged[n] && !ctx.domain().isPrivileged()) {
            return -Errno.EPERM;
        }
        calls.incrementAndGet(n);
        try {
            return handlers[n].call(ctx, a1, a2, a3, a4, a5);
        } catch (GuestMemoryFault fault) {
            return -Errno.EFAULT;
        }
    }

    /** How many times hypercall {@code nr} was made. */
    public long calls(int nr) {
        return calls.get(nr);
    }

    boolean isMulticallable(long nr) {
        return nr >= 0 && nr < HypercallNr.NR_HYPERCALLS && nr != HypercallNr.MULTICALL;
    }
}
