package org.hvsim.hv.sched;

/**
 * The parameters a credit-style policy lets the toolstack read and change: per domain its weight and
 * cap (XEN_DOMCTL_scheduler_op, Xen's {@code adjust} hook, {@code csched_dom_cntl}), and for the pool
 * the time slice, the rate limit and the migration delay (XEN_SYSCTL_scheduler_op, Xen's
 * {@code adjust_global} hook, {@code csched_sys_cntl}). The hypercall checks the values' ranges
 * (Xen's -EINVAL) before calling here. A policy without parameters does not implement this, and the
 * scheduler_op hypercalls then do nothing, as Xen's do for a scheduler without those hooks.
 *
 * <p>Threads: called with the scheduler's lock held ({@link Scheduler#adjust}).
 */
public interface CreditParameters {
    /** Default weight ({@code CSCHED_DEFAULT_WEIGHT}). */
    int DEFAULT_WEIGHT = 256;

    int weight(int domid);

    /** The cap in % of one pCPU; 0 = none. */
    int cap(int domid);

    /** @param weight 1..65535 */
    void setWeight(int domid, int weight);

    /** @param cap 0 (none) or a % of one pCPU */
    void setCap(int domid, int cap);

    int tsliceMs();

    /** 0 = no rate limit. */
    int ratelimitUs();

    int vcpuMigrDelayUs();

    /** Values within Xen's ranges, checked by the caller; ratelimit at most the time slice. */
    void setPool(int tsliceMs, int ratelimitUs, int vcpuMigrDelayUs);
}
