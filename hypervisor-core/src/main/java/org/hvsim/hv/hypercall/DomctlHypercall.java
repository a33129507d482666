package org.hvsim.hv.hypercall;

import java.util.BitSet;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.domctl.CreateDomain;
import org.hvsim.hv.abi.domctl.DomctlHeader;
import org.hvsim.hv.abi.domctl.DomctlSchedulerOp;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.hv.abi.domctl.GetVcpuInfo;
import org.hvsim.hv.abi.domctl.VcpuAffinity;
import org.hvsim.hv.abi.domctl.VcpuContextArg;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.DomainParams;
import org.hvsim.hv.domain.DomainTable;
import org.hvsim.hv.domain.Vcpu;
import org.hvsim.hv.sched.CreditParameters;
import org.hvsim.hv.sched.RunstateInfo;

/**
 * {@code domctl(struct xen_domctl *)} (hypercall 36): the toolstack's domain control. Privileged
 * callers only (the table checks); the interface version must match, as in Xen (-EACCES).
 */
final class DomctlHypercall implements HypercallHandler {
    private final Hypervisor hv;

    DomctlHypercall(Hypervisor hv) {
        this.hv = hv;
    }

    @Override
    public long call(HypercallContext ctx, long arg, long a2, long a3, long a4, long a5) {
        GuestMemory m = ctx.memory();
        DomctlHeader h = DomctlHeader.read(m, arg);
        if (h.interfaceVersion() != Domctl.INTERFACE_VERSION) {
            return -Errno.EACCES;
        }
        long u = arg + DomctlHeader.U;
        if (h.cmd() == Domctl.CREATEDOMAIN) {
            return createDomain(m, arg, h, CreateDomain.read(m, u));
        }
        Domain d = hv.domains().find(h.domain());
        if (d == null) {
            return -Errno.ESRCH;
        }
        return switch (h.cmd()) {
            case Domctl.DESTROYDOMAIN -> d == ctx.domain() ? -Errno.EINVAL : d.kill();
            case Domctl.PAUSEDOMAIN -> d == ctx.domain() ? -Errno.EINVAL : d.pauseByController();
            case Domctl.UNPAUSEDOMAIN -> d == ctx.domain() ? -Errno.EINVAL : d.unpauseByController();
            case Domctl.GETDOMAININFO -> {
                domainInfo(d).write(m, u);
                DomctlHeader.writeDomain(m, arg, d.domid());
                yield 0;
            }
            case Domctl.MAX_MEM -> {
                long kb = m.getLong(u);
                d.memory().setMaxPages(Math.max(0, kb >>> 2));
                yield 0;
            }
            case Domctl.MAX_VCPUS -> m.getInt(u) == d.maxVcpus() ? 0 : -Errno.EINVAL;
            case Domctl.SETVCPUAFFINITY, Domctl.GETVCPUAFFINITY -> affinity(m, u, d, h.cmd() == Domctl.SETVCPUAFFINITY);
            case Domctl.SCHEDULER_OP -> schedulerOp(m, u, d);
            case Domctl.SETVCPUCONTEXT -> {
                VcpuContextArg c = VcpuContextArg.read(m, u);
                Vcpu v = d.vcpu(c.vcpu());
                if (v == null || c.ctxt() == 0) {
                    yield -Errno.EINVAL;
                }
                yield v.setContext(VcpuGuestContext.read(m, c.ctxt()));
            }
            case Domctl.GETVCPUINFO -> {
                int id = m.getInt(u);
                Vcpu v = d.vcpu(id);
                if (v == null) {
                    yield -Errno.EINVAL;
                }
                RunstateInfo r = v.runstate();
                new GetVcpuInfo(id, v.isUp(), r.state() == org.hvsim.hv.abi.VcpuOp.RUNSTATE_BLOCKED,
                        r.state() == org.hvsim.hv.abi.VcpuOp.RUNSTATE_RUNNING, r.running(), v.processor()).write(m, u);
                yield 0;
            }
            case Domctl.SETDOMAINHANDLE -> {
                d.setHandle(m.readBytes(u, 16));
                yield 0;
            }
            default -> -Errno.ENOSYS;
        };
    }

    private long createDomain(GuestMemory m, long arg, DomctlHeader h, CreateDomain c) {
        if ((c.flags() & CreateDomain.CDF_HVM) != 0) {
            return -Errno.EINVAL;   // hvsim has no hardware virtualisation: PV guests only
        }
        // 0, or any reserved id, asks for the next free one (the toolstack never creates domain 0).
        int requested = h.domain() >= DomId.FIRST_RESERVED ? 0 : h.domain();
        DomainParams p;
        try {
            p = new DomainParams(requested, c.handle(), c.ssidref(), c.maxVcpus(), c.maxEvtchnPort(),
                    c.maxGrantFrames(), c.maxMaptrackFrames(), false, false);
        } catch (IllegalArgumentException e) {
            return -Errno.EINVAL;
        }
        try {
            Domain d = hv.domains().createGuest(p, hv.machine().frames());
            DomctlHeader.writeDomain(m, arg, d.domid());
            return 0;
        } catch (DomainTable.DomainCreateException e) {
            return e.errno();
        }
    }

    static GetDomainInfo domainInfo(Domain d) {
        int maxVcpuId = d.maxVcpus() - 1;
        return new GetDomainInfo(d.domid(), d.infoFlags(), d.memory().totPages(), d.memory().maxPages(), 0,
                d.sharedInfoFrame(), d.cpuTime(), d.onlineVcpus(), maxVcpuId, d.ssidref(), d.handle(), 0);
    }

    /**
     * Xen's {@code sched_adjust}: the op must name the domain's scheduler and a known cmd (-EINVAL);
     * a policy without parameters does nothing. For credit ({@code csched_dom_cntl}): getinfo writes
     * weight and cap; putinfo sets the weight unless it is 0 and the cap unless it is (uint16_t)~0;
     * the per-vCPU cmds are -EINVAL. A weight is 1..65535 by its type; a cap the policy refuses (hvsim's
     * credit takes 0..100 × pCPUs) is -EINVAL with nothing changed; the toolstack also checks a cap
     * against the domain's vCPUs, as libxl does ("Cpu cap out of range").
     */
    private long schedulerOp(GuestMemory m, long u, Domain d) {
        DomctlSchedulerOp op = DomctlSchedulerOp.read(m, u);
        if (op.schedId() != hv.scheduler().policy().schedulerId()) {
            return -Errno.EINVAL;
        }
        if (op.cmd() < Domctl.SCHEDOP_PUTINFO || op.cmd() > Domctl.SCHEDOP_GETVCPUINFO) {
            return -Errno.EINVAL;
        }
        return hv.scheduler().adjust(policy -> {
            if (!(policy instanceof CreditParameters credit)) {
                return 0L;
            }
            int domid = d.domid();
            switch (op.cmd()) {
                case Domctl.SCHEDOP_GETINFO -> {
                    new DomctlSchedulerOp(op.schedId(), op.cmd(), credit.weight(domid), credit.cap(domid)).write(m, u);
                    return 0L;
                }
                case Domctl.SCHEDOP_PUTINFO -> {
                    // The cap first: a policy may refuse it (IllegalArgumentException), and then nothing
                    // has changed; a weight of 1..65535 is always taken.
                    try {
                        if (op.cap() != Domctl.SCHED_CREDIT_CAP_UNCHANGED) {
                            credit.setCap(domid, op.cap());
                        }
                        if (op.weight() != 0) {
                            credit.setWeight(domid, op.weight());
                        }
                    } catch (IllegalArgumentException refused) {
                        return (long) -Errno.EINVAL;
                    }
                    return 0L;
                }
                default -> {
                    return (long) -Errno.EINVAL;
                }
            }
        });
    }

    private long affinity(GuestMemory m, long u, Domain d, boolean set) {
        VcpuAffinity a = VcpuAffinity.read(m, u);
        Vcpu v = d.vcpu(a.vcpu());
        if (v == null) {
            return -Errno.EINVAL;
        }
        boolean hard = (a.flags() & Domctl.VCPUAFFINITY_HARD) != 0;
        boolean soft = (a.flags() & Domctl.VCPUAFFINITY_SOFT) != 0;
        if (!hard && !soft) {
            return -Errno.EINVAL;
        }
        int n = hv.scheduler().nrPcpus();
        BitSet online = new BitSet();
        online.set(0, n);
        if (set) {
            BitSet h = hard ? CpumapCodec.read(m, a.hard(), n) : null;
            BitSet s = soft ? CpumapCodec.read(m, a.soft(), n) : null;
            if ((hard && (h == null || !h.intersects(online))) || (soft && s == null)) {
                return -Errno.EINVAL;
            }
            if (hard) {
                v.setHardAffinity(h.cardinality() == n ? null : h);
            }
            if (soft) {
                v.setSoftAffinity(s.cardinality() == n ? null : s);
            }
        }
        if (hard) {
            BitSet h = v.hardAffinity();
            CpumapCodec.write(m, a.hard(), h == null ? online : h);
        }
        if (soft) {
            BitSet s = v.softAffinity();
            CpumapCodec.write(m, a.soft(), s == null ? online : s);
        }
        return 0;
    }
}
