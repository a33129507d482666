package org.hvsim.hv.sched.credit;

/**
 * The pool-wide credit parameters ({@code xen_sysctl_credit_schedule}): time slice and ratelimit,
 * checked with libxl's ranges and messages ({@code sched_credit_params_set}).
 */
public record CreditParams(int tsliceMs, int ratelimitUs) {
    /** {@code XEN_SYSCTL_CSCHED_TSLICE_MIN} / {@code _MAX}. */
    public static final int TSLICE_MIN_MS = 1;
    public static final int TSLICE_MAX_MS = 1000;
    /** {@code XEN_SYSCTL_SCHED_RATELIMIT_MIN} / {@code _MAX}. */
    public static final int RATELIMIT_MIN_US = 100;
    public static final int RATELIMIT_MAX_US = 500_000;
    /** {@code CSCHED_DEFAULT_TSLICE_MS} and {@code SCHED_DEFAULT_RATELIMIT_US}. */
    public static final CreditParams DEFAULT = new CreditParams(30, 1000);

    /** Rejects values out of Xen's ranges (an IllegalArgumentException with libxl's message). */
    public CreditParams {
        if (tsliceMs < TSLICE_MIN_MS || tsliceMs > TSLICE_MAX_MS) {
            throw new IllegalArgumentException("Time slice out of range, valid range is from "
                    + TSLICE_MIN_MS + " to " + TSLICE_MAX_MS);
        }
        if (ratelimitUs != 0 && (ratelimitUs < RATELIMIT_MIN_US || ratelimitUs > RATELIMIT_MAX_US)) {
            throw new IllegalArgumentException("Ratelimit out of range, valid range is from "
                    + RATELIMIT_MIN_US + " to " + RATELIMIT_MAX_US);
        }
        if ((long) ratelimitUs > tsliceMs * 1000L) {
            throw new IllegalArgumentException("Ratelimit cannot be greater than timeslice");
        }
    }

    public long tsliceNs() {
        return tsliceMs * 1_000_000L;
    }

    public long ratelimitNs() {
        return ratelimitUs * 1_000L;
    }

    /** {@code credits_per_tslice}: {@code CSCHED_CREDITS_PER_MSEC} (10) per ms of the slice. */
    public int creditsPerTslice() {
        return CreditUnit.CREDITS_PER_MSEC * tsliceMs;
    }
}
