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
            default -> -Errno.ENOSYS;
        };
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
