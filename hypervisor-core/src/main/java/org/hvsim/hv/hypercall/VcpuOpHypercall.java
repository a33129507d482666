package org.hvsim.hv.hypercall;

import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;
import org.hvsim.hv.abi.vcpu.VcpuRunstateInfo;
import org.hvsim.hv.abi.vcpu.VcpuSetPeriodicTimer;
import org.hvsim.hv.abi.vcpu.VcpuSetSingleshotTimer;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.Vcpu;
import org.hvsim.hv.sched.RunstateInfo;

/**
 * {@code vcpu_op(cmd, vcpuid, arg)} (hypercall 24), on a vCPU of the caller's own domain. The
 * singleshot timer may only be set and stopped by the vCPU itself, as in Xen. Any vCPU of the domain may
 * bring any of its vCPUs up or down; taking down the last vCPU that is up shuts the domain down with
 * {@code SHUTDOWN_poweroff} and leaves that vCPU up, as Xen 4.x does.
 */
final class VcpuOpHypercall implements HypercallHandler {
    private final Hypervisor hv;

    VcpuOpHypercall(Hypervisor hv) {
        this.hv = hv;
    }

    /** Whether every vCPU of {@code d} but {@code v} is down (Xen: "Last vcpu going down?"). */
    private static boolean lastUp(Domain d, Vcpu v) {
        for (int i = 0; i < d.maxVcpus(); i++) {
            Vcpu other = d.vcpu(i);
            if (other != null && other != v && other.isUp()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long call(HypercallContext ctx, long cmd, long vcpuid, long arg, long a4, long a5) {
        Vcpu v = ctx.domain().vcpu((int) vcpuid);
        if (vcpuid < 0 || vcpuid > Integer.MAX_VALUE || v == null) {
            return -Errno.ENOENT;
        }
        GuestMemory m = ctx.memory();
        switch ((int) cmd) {
            case VcpuOp.INITIALISE:
                return v.initialise(VcpuGuestContext.read(m, arg));
            case VcpuOp.UP:
                return v.up();
            case VcpuOp.DOWN:
                if (lastUp(ctx.domain(), v)) {
                    // Xen's do_vcpu_op: the last vCPU going down powers the domain off instead.
                    return ctx.domain().shutdown(ShutdownReason.POWEROFF.code());
                }
                return v.down();
            case VcpuOp.IS_UP:
                return v.isUp() ? 1 : 0;
            case VcpuOp.GET_RUNSTATE_INFO: {
                RunstateInfo r = v.runstate();
                new VcpuRunstateInfo(r.state(), r.stateEntryTime(), r.running(), r.runnable(), r.blocked(), r.offline())
                        .write(m, arg);
                return 0;
            }
            case VcpuOp.SET_SINGLESHOT_TIMER: {
                if (v != ctx.vcpu() || !ctx.isLocal()) {
                    return -Errno.EINVAL;
                }
                VcpuSetSingleshotTimer t = VcpuSetSingleshotTimer.read(m, arg);
                if ((t.flags() & VcpuOp.SSHOTTMR_FUTURE) != 0 && t.timeoutAbsNs() < hv.clock().now()) {
                    return -Errno.ETIME;
                }
                v.setSingleshot(Math.max(t.timeoutAbsNs(), 1));
                return 0;
            }
            case VcpuOp.STOP_SINGLESHOT_TIMER:
                if (v != ctx.vcpu() || !ctx.isLocal()) {
                    return -Errno.EINVAL;
                }
                v.stopSingleshot();
                return 0;
            case VcpuOp.SET_PERIODIC_TIMER:
                if (!ctx.isLocal()) {
                    return -Errno.EINVAL;
                }
                return v.setPeriodic(VcpuSetPeriodicTimer.read(m, arg).periodNs());
            case VcpuOp.STOP_PERIODIC_TIMER:
                if (!ctx.isLocal()) {
                    return -Errno.EINVAL;
                }
                v.stopPeriodic();
                return 0;
            default:
                return -Errno.ENOSYS;
        }
    }
}
