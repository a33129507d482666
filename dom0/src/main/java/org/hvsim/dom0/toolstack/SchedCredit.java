package org.hvsim.dom0.toolstack;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.dom0.xen.Xc;
import org.hvsim.dom0.xen.XenError;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.Sysctl;
import org.hvsim.hv.abi.domctl.DomctlSchedulerOp;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.hv.abi.sysctl.SysctlSchedulerOp;

/**
 * libxl's credit scheduler calls ({@code libxl_sched.c}): a domain's weight and cap, the pool's tslice,
 * ratelimit and migration delay, with libxl's range checks and messages before any hypercall, so that a
 * refused value changes nothing. Threads: any (each call is its own hypercalls).
 */
public final class SchedCredit {
    /** hvsim's one cpupool, as libxl names pool 0. */
    public static final String POOL_NAME = "Pool-0";

    private final Xc xc;

    SchedCredit(Xc xc) {
        this.xc = xc;
    }

    /** Whether the host's scheduler is credit (XEN_SYSCTL_sched_id). */
    public boolean inUse() {
        return xc.schedulerId() == Sysctl.SCHEDULER_CREDIT;
    }

    /** A domain's weight and cap. */
    public record DomainParams(int domid, int weight, int cap) {}

    /** The pool's parameters. */
    public record PoolParams(int tsliceMs, int ratelimitUs, int migrationDelayUs) {}

    /** The weight and cap of each of {@code domids}; domains gone meanwhile are left out. */
    public List<DomainParams> domains(List<Integer> domids) throws ConfigException {
        requireCredit("Getting domain sched credit");
        List<DomainParams> out = new ArrayList<>();
        for (int domid : domids) {
            try {
                DomctlSchedulerOp op = xc.schedCreditDomainGet(domid);
                out.add(new DomainParams(domid, op.weight(), op.cap()));
            } catch (XenError gone) {
                // destroyed since it was listed
            }
        }
        return out;
    }

    /**
     * libxl's sched_credit_domain_set: a given weight must be 1..65535, a given cap 0..100 × the
     * domain's vCPUs; null leaves a value alone.
     */
    public void setDomain(int domid, Integer weight, Integer cap) throws ConfigException {
        GetDomainInfo info = xc.getDomainInfo(domid);
        requireCredit("Getting domain sched credit");
        if (weight != null && (weight < 1 || weight > 65535)) {
            throw invalid("Cpu weight out of range, valid values are within range from 1 to 65535");
        }
        int maxCap = (info.maxVcpuId() + 1) * 100;
        if (cap != null && (cap < 0 || cap > maxCap)) {
            throw invalid("Cpu cap out of range, valid range is from 0 to " + maxCap + " for specified number of vcpus");
        }
        try {
            xc.schedCreditDomainSet(domid, weight == null ? 0 : weight,
                    cap == null ? Domctl.SCHED_CREDIT_CAP_UNCHANGED : cap);
        } catch (XenError e) {
            throw new ConfigException(ConfigException.Kind.INVALID, null, "Setting domain sched credit: " + e.getMessage());
        }
    }

    /** The pool's parameters (libxl_sched_credit_params_get). */
    public PoolParams pool() throws ConfigException {
        requireCredit("getting Credit scheduler parameters");
        SysctlSchedulerOp op = xc.schedCreditParamsGet();
        return new PoolParams(op.tsliceMs(), op.ratelimitUs(), op.vcpuMigrDelayUs());
    }

    /**
     * libxl_sched_credit_params_set, with the values not given kept: tslice 1..1000 ms, ratelimit 0 or
     * 100..500000 µs and at most the tslice, migration delay at most 100,000 µs.
     */
    public PoolParams setPool(Integer tsliceMs, Integer ratelimitUs, Integer migrationDelayUs) throws ConfigException {
        PoolParams now = pool();
        long t = tsliceMs == null ? now.tsliceMs() : Integer.toUnsignedLong(tsliceMs);
        long r = ratelimitUs == null ? now.ratelimitUs() : Integer.toUnsignedLong(ratelimitUs);
        long m = migrationDelayUs == null ? now.migrationDelayUs() : Integer.toUnsignedLong(migrationDelayUs);
        if (t < Sysctl.CSCHED_TSLICE_MIN_MS || t > Sysctl.CSCHED_TSLICE_MAX_MS) {
            throw invalid("Time slice out of range, valid range is from " + Sysctl.CSCHED_TSLICE_MIN_MS + " to "
                    + Sysctl.CSCHED_TSLICE_MAX_MS);
        }
        if (r != 0 && (r < Sysctl.SCHED_RATELIMIT_MIN_US || r > Sysctl.SCHED_RATELIMIT_MAX_US)) {
            throw invalid("Ratelimit out of range, valid range is from " + Sysctl.SCHED_RATELIMIT_MIN_US + " to "
                    + Sysctl.SCHED_RATELIMIT_MAX_US);
        }
        if (r > t * 1000) {
            throw invalid("Ratelimit cannot be greater than timeslice");
        }
        if (m > Sysctl.CSCHED_MGR_DLY_MAX_US) {
            throw invalid("vcpu migration delay should be >= 0 and <= " + Sysctl.CSCHED_MGR_DLY_MAX_US + "us");
        }
        SysctlSchedulerOp op = xc.schedCreditParamsSet((int) t, (int) r, (int) m);
        return new PoolParams(op.tsliceMs(), op.ratelimitUs(), op.vcpuMigrDelayUs());
    }

    private void requireCredit(String what) throws ConfigException {
        if (!inUse()) {
            throw new ConfigException(ConfigException.Kind.FAILED_PRECONDITION, null,
                    what + ": the host's scheduler is not credit (hvsim start --sched credit)");
        }
    }

    private static ConfigException invalid(String message) {
        return new ConfigException(ConfigException.Kind.INVALID, null, message);
    }
}
