package org.hvsim.hv.hypercall;

import java.util.List;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Sysctl;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.hv.abi.sysctl.GetDomainInfoList;
import org.hvsim.hv.abi.sysctl.Physinfo;
import org.hvsim.hv.abi.sysctl.ReadConsole;
import org.hvsim.hv.abi.sysctl.SysctlHeader;
import org.hvsim.hv.abi.sysctl.SysctlSchedulerOp;
import org.hvsim.hv.sched.CreditParameters;
import org.hvsim.hv.console.ConsoleRing;
import org.hvsim.hv.domain.Domain;

/**
 * {@code sysctl(struct xen_sysctl *)} (hypercall 35): host-wide information and control, privileged
 * callers only (the table checks); the interface version must match (-EACCES).
 */
final class SysctlHypercall implements HypercallHandler {
    /** Most domains one getdomaininfolist returns; the caller's buffer bounds it further. */
    static final int MAX_DOMAINS_PER_CALL = 1 << 15;
    /** Most console bytes one readconsole returns. */
    static final int MAX_CONSOLE_READ = 1 << 20;

    private final Hypervisor hv;

    SysctlHypercall(Hypervisor hv) {
        this.hv = hv;
    }

    @Override
    public long call(HypercallContext ctx, long arg, long a2, long a3, long a4, long a5) {
        GuestMemory m = ctx.memory();
        SysctlHeader h = SysctlHeader.read(m, arg);
        if (h.interfaceVersion() != Sysctl.INTERFACE_VERSION) {
            return -Errno.EACCES;
        }
        long u = arg + SysctlHeader.U;
        return switch (h.cmd()) {
            case Sysctl.PHYSINFO -> {
                physinfo().write(m, u);
                yield 0;
            }
            case Sysctl.GETDOMAININFOLIST -> domainInfoList(m, u);
            case Sysctl.READCONSOLE -> readConsole(m, u);
            case Sysctl.SCHED_ID -> {
                m.putInt(u, hv.scheduler().policy().schedulerId());
                yield 0;
            }
            case Sysctl.SCHEDULER_OP -> schedulerOp(m, u);
            default -> -Errno.ENOSYS;
        };
    }

    /**
     * Xen's {@code sched_adjust_global}, checks in its order: putinfo or getinfo (-EINVAL), cpupool 0,
     * the only pool (-ESRCH for another), the pool's scheduler id (-EINVAL); a policy without parameters does
     * nothing. For credit ({@code csched_sys_cntl}): putinfo checks tslice 1..1000 ms, ratelimit 0 or
     * 100..500000 µs and not above the tslice, and a migration delay of at most 100 ms (-EINVAL,
     * nothing changed); getinfo writes the three.
     */
    private long schedulerOp(GuestMemory m, long u) {
        SysctlSchedulerOp op = SysctlSchedulerOp.read(m, u);
        if (op.cmd() != Sysctl.SCHEDOP_PUTINFO && op.cmd() != Sysctl.SCHEDOP_GETINFO) {
            return -Errno.EINVAL;
        }
        if (op.cpupoolId() != 0) {
            return -Errno.ESRCH;
        }
        if (op.schedId() != hv.scheduler().policy().schedulerId()) {
            return -Errno.EINVAL;
        }
        return hv.scheduler().adjust(policy -> {
            if (!(policy instanceof CreditParameters credit)) {
                return 0L;
            }
            if (op.cmd() == Sysctl.SCHEDOP_GETINFO) {
                new SysctlSchedulerOp(op.cpupoolId(), op.schedId(), op.cmd(), credit.tsliceMs(), credit.ratelimitUs(),
                        credit.vcpuMigrDelayUs()).write(m, u);
                return 0L;
            }
            long tslice = Integer.toUnsignedLong(op.tsliceMs());
            long ratelimit = Integer.toUnsignedLong(op.ratelimitUs());
            long delay = Integer.toUnsignedLong(op.vcpuMigrDelayUs());
            if (tslice > Sysctl.CSCHED_TSLICE_MAX_MS || tslice < Sysctl.CSCHED_TSLICE_MIN_MS
                    || ratelimit != 0 && (ratelimit > Sysctl.SCHED_RATELIMIT_MAX_US || ratelimit < Sysctl.SCHED_RATELIMIT_MIN_US)
                    || ratelimit > tslice * 1000 || delay > Sysctl.CSCHED_MGR_DLY_MAX_US) {
                return (long) -Errno.EINVAL;
            }
            try {
                credit.setPool((int) tslice, (int) ratelimit, (int) delay);
            } catch (IllegalArgumentException refused) {
                return (long) -Errno.EINVAL;
            }
            return 0L;
        });
    }

    private Physinfo physinfo() {
        int n = hv.scheduler().nrPcpus();
        long frames = hv.machine().frames();
        return new Physinfo(1, n, n, n - 1, 1, 0, hv.identity().cpuKhz(), Sysctl.PHYSCAP_PV, frames,
                hv.memory().allocator().freeFrames(), 0, 0, frames - 1, new int[8]);
    }

    private long domainInfoList(GuestMemory m, long u) {
        GetDomainInfoList req = GetDomainInfoList.read(m, u);
        if (req.maxDomains() < 0) {
            return -Errno.EINVAL;
        }
        int max = Math.min(req.maxDomains(), MAX_DOMAINS_PER_CALL);
        if (!m.isAccessible(req.buffer(), (long) max * GetDomainInfo.SIZE)) {
            return -Errno.EFAULT;
        }
        List<Domain> list = hv.domains().listFrom(req.firstDomain(), max);
        for (int i = 0; i < list.size(); i++) {
            DomctlHypercall.domainInfo(list.get(i)).write(m, req.buffer() + (long) i * GetDomainInfo.SIZE);
        }
        m.putInt(u + GetDomainInfoList.NUM_DOMAINS, list.size());
        return 0;
    }

    private long readConsole(GuestMemory m, long u) {
        ReadConsole r = ReadConsole.read(m, u);
        if (r.count() < 0) {
            return -Errno.EINVAL;
        }
        int max = Math.min(r.count(), MAX_CONSOLE_READ);
        if (!m.isAccessible(r.buffer(), max)) {
            return -Errno.EFAULT;
        }
        ConsoleRing.Chunk c = hv.console().ring().read(r.incremental(), Integer.toUnsignedLong(r.index()), max, r.clear());
        m.write(r.buffer(), c.data());
        m.putInt(u + ReadConsole.COUNT, c.data().length);
        m.putInt(u + ReadConsole.INDEX, (int) c.nextIndex());
        return 0;
    }
}
