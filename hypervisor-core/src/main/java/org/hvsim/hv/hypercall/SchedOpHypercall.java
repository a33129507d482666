package org.hvsim.hv.hypercall;

import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.SchedOp;
import org.hvsim.hv.abi.sched.SchedPoll;
import org.hvsim.hv.abi.sched.SchedRemoteShutdown;
import org.hvsim.hv.abi.sched.SchedShutdown;
import org.hvsim.hv.abi.sched.SchedWatchdog;
import org.hvsim.hv.domain.Domain;

/**
 * {@code sched_op(cmd, arg)} (hypercall 29). yield, block and poll act on the calling vCPU, so they
 * need a vCPU that runs here: dom0's vCPUs run in their own process and wait for events there.
 * dom0's SCHEDOP_shutdown shuts the host down, as the hardware domain's does on Xen.
 */
final class SchedOpHypercall implements HypercallHandler {
    private final Hypervisor hv;

    SchedOpHypercall(Hypervisor hv) {
        this.hv = hv;
    }

    @Override
    public long call(HypercallContext ctx, long cmd, long arg, long a3, long a4, long a5) {
        GuestMemory m = ctx.memory();
        Domain d = ctx.domain();
        switch ((int) cmd) {
            case SchedOp.YIELD:
                if (ctx.isLocal()) {
                    hv.scheduler().yield(ctx.vcpu().unitForYield());
                }
                return 0;
            case SchedOp.BLOCK:
                if (!ctx.isLocal()) {
                    return -Errno.EOPNOTSUPP;
                }
                ctx.vcpu().block();
                return 0;
            case SchedOp.SHUTDOWN: {
                int reason = SchedShutdown.read(m, arg).reason();
                if (!ctx.isLocal()) {
                    hv.requestHostShutdown(reason);
                    return 0;
                }
                return d.shutdown(reason);
            }
            case SchedOp.POLL:
                return ctx.isLocal() ? poll(ctx, SchedPoll.read(m, arg)) : -Errno.EOPNOTSUPP;
            case SchedOp.REMOTE_SHUTDOWN: {
                SchedRemoteShutdown r = SchedRemoteShutdown.read(m, arg);
                if (!d.isPrivileged()) {
                    return -Errno.EPERM;
                }
                Domain target = hv.domains().find(r.domainId());
                if (target == null) {
                    return -Errno.ESRCH;
                }
                return target.shutdown(r.reason());
            }
            case SchedOp.SHUTDOWN_CODE:
                return d.setShutdownCode(SchedShutdown.read(m, arg).reason());
            case SchedOp.WATCHDOG: {
                SchedWatchdog w = SchedWatchdog.read(m, arg);
                return d.watchdog(w.id(), w.timeout());
            }
            case SchedOp.PIN_OVERRIDE:
                return -Errno.EPERM;
            default:
                return -Errno.ENOSYS;
        }
    }

    private long poll(HypercallContext ctx, SchedPoll p) {
        if (p.nrPorts() < 0 || p.nrPorts() > SchedOp.POLL_MAX_PORTS) {
            return -Errno.EINVAL;
        }
        GuestMemory m = ctx.memory();
        if (!m.isAccessible(p.ports(), 4L * p.nrPorts())) {
            return -Errno.EFAULT;
        }
        int[] ports = new int[p.nrPorts()];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = m.getInt(p.ports() + 4L * i);
            int state = hv.evtchn().poll(ctx.domain(), ports[i]);
            if (state < 0) {
                return state;
            }
            if (state > 0) {
                return 0;
            }
        }
        ctx.vcpu().poll(ports, p.timeout());
        return 0;
    }
}
