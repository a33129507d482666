package org.hvsim.hv.sched.sim;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.hvsim.hv.sched.RoundRobinPolicy;
import org.hvsim.hv.sched.SchedSim;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.sched.credit.CreditPolicy;

/** The policies {@code schedsim --sched} can run, by the name the command line gives them. */
enum SchedChoice {
    CREDIT("credit"),
    CREDIT_NOBOOST("credit-noboost"),
    RR("rr");

    final String label;

    SchedChoice(String label) {
        this.label = label;
    }

    /** The choice named {@code label}; IllegalArgumentException naming the valid ones otherwise. */
    static SchedChoice of(String label) {
        for (SchedChoice c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown scheduler '" + label + "' (valid: " + labels() + ")");
    }

    static String labels() {
        return Arrays.stream(values()).map(c -> c.label).collect(Collectors.joining(", "));
    }

    /** A fresh policy instance: one per simulation run. */
    SchedulerPolicy newPolicy() {
        return switch (this) {
            case CREDIT -> new CreditPolicy();
            case CREDIT_NOBOOST -> CreditPolicy.withoutBoost();
            case RR -> new RoundRobinPolicy();
        };
    }

    /** Whether the policy uses the workload's weights and caps (round robin ignores them). */
    boolean usesWeights() {
        return this != RR;
    }

    /**
     * How {@code policy} takes each domain's weight and cap; a value it refuses (Xen's message) becomes an
     * IllegalArgumentException naming the domain.
     */
    SchedSim.DomainParams params(SchedulerPolicy policy) {
        if (!(policy instanceof CreditPolicy credit)) {
            return SchedSim.DomainParams.NONE;
        }
        return (domid, weight, cap) -> {
            try {
                credit.setWeight(domid, weight);
                credit.setCap(domid, cap);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("domain " + domid + ": " + e.getMessage(), e);
            }
        };
    }
}
