package org.hvsim.hv.sched.credit;

import java.util.ArrayList;
import java.util.List;

/**
 * A domain's credit state ({@code struct csched_dom}): weight, cap, and its vCPUs on the active list
 * (those that earn credit at accounting). Touched only under the scheduler's lock.
 */
final class CreditDomain {
    /** {@code CSCHED_DEFAULT_WEIGHT}. */
    static final int DEFAULT_WEIGHT = 256;
    static final int WEIGHT_MIN = 1;
    static final int WEIGHT_MAX = 65535;

    final int domid;
    int weight = DEFAULT_WEIGHT;
    /** Percent of one pCPU, 0 = uncapped. */
    int cap;
    /** {@code active_unit}: vCPUs that earn credit, in the order they became active. */
    final List<CreditUnit> activeUnits = new ArrayList<>();
    /** Units of this domain still inserted in the policy. */
    int nrUnits;

    CreditDomain(int domid) {
        this.domid = domid;
    }

    @Override
    public String toString() {
        return "d" + domid + "(weight " + weight + ", cap " + cap + ")";
    }
}
