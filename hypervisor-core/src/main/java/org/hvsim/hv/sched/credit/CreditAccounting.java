package org.hvsim.hv.sched.credit;

import java.util.ArrayList;
import java.util.List;

/**
 * The active lists and the periodic accounting of the credit scheduler ({@code prv->active_sdom},
 * {@code __csched_unit_acct_start/stop}, {@code csched_acct}). Every tslice it hands out
 * {@code credits_per_tslice × pCPUs} among the active domains in proportion to weight × active
 * vCPUs, bounded by each domain's cap, recomputes priorities, parks the vCPUs of domains that overran
 * their cap and unparks those back in credit. Touched only under the scheduler's lock.
 */
final class CreditAccounting {

    /** What accounting asks of the policy when a vCPU's parking changes. */
    interface Parking {
        void park(CreditUnit u);

        void unpark(CreditUnit u);
    }

    /** {@code active_sdom}: domains with at least one active vCPU. */
    private final List<CreditDomain> activeDomains = new ArrayList<>();
    /** {@code credit_balance}: sum of the active vCPUs' credit after the last accounting. */
    private int creditBalance;

    /** {@code __csched_unit_acct_start}: {@code u} earns credit from the next accounting on. */
    void start(CreditUnit u) {
        if (u.active) {
            return;
        }
        u.active = true;
        u.dom.activeUnits.add(u);
        if (u.dom.activeUnits.size() == 1) {
            activeDomains.add(u.dom);
        }
    }

    /** {@code __csched_unit_acct_stop_locked}. */
    void stop(CreditUnit u) {
        if (!u.active) {
            return;
        }
        u.active = false;
        u.dom.activeUnits.remove(u);
        if (u.dom.activeUnits.isEmpty()) {
            activeDomains.remove(u.dom);
        }
    }

    /** Calls {@code action} for every vCPU that earns credit now. */
    void forEachActive(java.util.function.Consumer<CreditUnit> action) {
        for (CreditDomain d : activeDomains) {
            d.activeUnits.forEach(action);
        }
    }

    /** {@code csched_acct}: one accounting period. */
    void account(CreditParams params, int nrPcpus, Parking parking) {
        int creditsPerTslice = params.creditsPerTslice();
        long weightTotal = 0;
        for (CreditDomain d : activeDomains) {
            weightTotal += (long) d.weight * d.activeUnits.size();
        }
        long creditTotal = (long) creditsPerTslice * nrPcpus;
        if (creditBalance < 0) {
            creditTotal -= creditBalance;   // converge the balance towards 0 when it drops negative
        }
        if (weightTotal == 0) {
            creditBalance = 0;
            return;
        }
        long weightLeft = weightTotal;
        long balance = 0;
        boolean creditXtra = false;
        for (CreditDomain d : List.copyOf(activeDomains)) {
            int nActive = d.activeUnits.size();
            long domWeight = (long) d.weight * nActive;
            weightLeft -= domWeight;

            // At most a domain earns enough to run all its active vCPUs for the whole period,
            // more only while the system-wide balance is negative.
            long creditPeak = (long) nActive * creditsPerTslice;
            if (creditBalance < 0) {
                creditPeak += ((-(long) creditBalance * domWeight) + (weightTotal - 1)) / weightTotal;
            }
            long creditCap = 0;
            if (d.cap != 0) {
                creditCap = ((long) d.cap * creditsPerTslice + 99) / 100;
                creditPeak = Math.min(creditPeak, creditCap);
                creditCap = (creditCap + (nActive - 1)) / nActive;
            }
            long creditFair = (creditTotal * domWeight + (weightTotal - 1)) / weightTotal;
            if (creditFair < creditPeak) {
                creditXtra = true;
            } else {
                if (weightLeft != 0) {
                    // Give the other domains a chance at what this one cannot use.
                    creditTotal += ((creditFair - creditPeak) * weightTotal + (weightLeft - 1)) / weightLeft;
                }
                if (creditXtra) {
                    // Keep domains with spare credit at the head so others get a chance at it.
                    activeDomains.remove(d);
                    activeDomains.addFirst(d);
                }
                creditFair = creditPeak;
            }
            long perUnit = (creditFair + (nActive - 1)) / nActive;
            for (CreditUnit u : List.copyOf(d.activeUnits)) {
                u.credit = (int) Math.min(Integer.MAX_VALUE, u.credit + perUnit);
                if (u.credit < 0) {
                    u.pri = CreditPriority.OVER;
                    if (d.cap != 0 && u.credit < -creditCap && !u.parked) {
                        parking.park(u);
                    }
                    if (u.credit < -creditsPerTslice) {
                        u.credit = -creditsPerTslice;   // lower bound on credit
                    }
                } else {
                    u.pri = CreditPriority.UNDER;
                    if (u.parked) {
                        parking.unpark(u);
                    }
                    if (u.credit > creditsPerTslice) {
                        // Upper bound: it stops earning, and starts a little ahead when it comes back.
                        stop(u);
                        u.credit /= 2;
                    }
                }
                balance += u.credit;
            }
        }
        creditBalance = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, balance));
    }
}
