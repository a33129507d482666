package org.hvsim.hv.sched.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.hv.sched.RoundRobinPolicy;
import org.hvsim.hv.sched.SchedSim;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.sched.SimBehaviour;
import org.hvsim.hv.sched.SimReport;
import org.hvsim.hv.sched.SimWorkload;
import org.hvsim.hv.sched.SimWorkload.Domain;
import org.hvsim.hv.sched.SimWorkload.Vcpu;
import org.junit.jupiter.api.Test;

/** The credit policy in the simulator: shares, caps, work conservation, BOOST, affinity, yield attack. */
class CreditSimTest {
    private static final long MS = 1_000_000L;
    private static final long SECONDS_10 = 10_000 * MS;
    private static final SimBehaviour CPU = new SimBehaviour.CpuBound();

    static SimReport runCredit(CreditPolicy policy, SimWorkload w, long ns, boolean segments) {
        return SchedSim.run(policy, w, ns, (domid, weight, cap) -> {
            policy.setWeight(domid, weight);
            policy.setCap(domid, cap);
        }, segments);
    }

    static SimReport runCredit(SimWorkload w, long ns) {
        return runCredit(new CreditPolicy(), w, ns, false);
    }

    private static Domain burner(int domid, int weight, int cap) {
        return new Domain(domid, weight, cap, List.of(Vcpu.of(CPU)));
    }

    @Test
    void weights256_512_1024OnOnePcpuGiveShares1To2To4() {
        SimReport r = runCredit(new SimWorkload(1, List.of(burner(1, 256, 0), burner(2, 512, 0), burner(3, 1024, 0))),
                SECONDS_10);
        System.out.printf("weights 1:2:4 -> %.4f %.4f %.4f%n", r.share(1), r.share(2), r.share(3));
        assertEquals(1.0 / 7, r.share(1), 0.02);
        assertEquals(2.0 / 7, r.share(2), 0.02);
        assertEquals(4.0 / 7, r.share(3), 0.02);
        assertEquals(0, r.idleNs());
    }

    @Test
    void weightsOnTwoPcpusWithFourDomains() {
        SimReport r = runCredit(new SimWorkload(2, List.of(burner(1, 256, 0), burner(2, 256, 0), burner(3, 512, 0),
                burner(4, 1024, 0))), SECONDS_10);
        System.out.printf("weights 1:1:2:4 on 2 pCPUs -> %.4f %.4f %.4f %.4f%n",
                r.share(1), r.share(2), r.share(3), r.share(4));
        assertEquals(1.0 / 8, r.share(1), 0.03);
        assertEquals(1.0 / 8, r.share(2), 0.03);
        assertEquals(2.0 / 8, r.share(3), 0.03);
        assertEquals(4.0 / 8, r.share(4), 0.03);
    }

    @Test
    void cap25AloneGetsAQuarterOfAPcpu() {
        SimReport r = runCredit(new SimWorkload(1, List.of(burner(1, 256, 25))), SECONDS_10);
        System.out.printf("cap 25 alone -> %.4f%n", r.pcpuShare(1));
        assertEquals(0.25, r.pcpuShare(1), 0.01);
    }

    @Test
    void cap25NextToABurnerGetsAQuarterAndTheBurnerTheRest() {
        SimReport r = runCredit(new SimWorkload(1, List.of(burner(1, 1024, 25), burner(2, 256, 0))), SECONDS_10);
        System.out.printf("cap 25 (weight 1024) next to a burner -> %.4f %.4f%n", r.pcpuShare(1), r.pcpuShare(2));
        assertEquals(0.25, r.pcpuShare(1), 0.01);
        assertEquals(0.75, r.pcpuShare(2), 0.01);
    }

    @Test
    void aCappedAwayShareIsNotGivenToADomainPastItsOwnCap() {
        SimReport r = runCredit(new SimWorkload(1, List.of(burner(1, 256, 25), burner(2, 256, 50))), SECONDS_10);
        System.out.printf("caps 25 and 50 -> %.4f %.4f idle %.4f%n", r.pcpuShare(1), r.pcpuShare(2),
                (double) r.idleNs() / SECONDS_10);
        assertEquals(0.25, r.pcpuShare(1), 0.01);
        assertEquals(0.50, r.pcpuShare(2), 0.01);
        assertEquals(0.25, (double) r.idleNs() / SECONDS_10, 0.02);
    }

    @Test
    void anIdleDomainsShareGoesToTheOthers() {
        Domain mostlyBlocked = new Domain(3, 1024, 0, List.of(Vcpu.of(new SimBehaviour.BurstBlock(MS, 99 * MS))));
        SimReport r = runCredit(new SimWorkload(1, List.of(burner(1, 256, 0), burner(2, 256, 0), mostlyBlocked)),
                SECONDS_10);
        System.out.printf("work conservation -> %.4f %.4f %.4f idle %d%n", r.share(1), r.share(2), r.share(3), r.idleNs());
        assertEquals(0, r.idleNs());
        assertEquals(0.01, r.share(3), 0.002);
        assertEquals(0.495, r.share(1), 0.02);
        assertEquals(0.495, r.share(2), 0.02);
    }

    @Test
    void noPcpuIdlesWhileAnotherHasQueuedWork() {
        // Both vCPUs of d2 start on the same pCPU's queue... wherever they start, stealing spreads them.
        SimReport r = runCredit(new SimWorkload(3, List.of(
                new Domain(1, 256, 0, List.of(Vcpu.of(CPU), Vcpu.of(CPU))),
                new Domain(2, 256, 0, List.of(Vcpu.of(CPU))))), SECONDS_10);
        System.out.printf("3 vCPUs on 3 pCPUs -> idle %d%n", r.idleNs());
        assertEquals(0, r.idleNs());
    }

    private static SimWorkload ioNextToTwoBurners(int nrPcpus, int burnerWeight) {
        Domain io = new Domain(1, 256, 0, List.of(Vcpu.of(new SimBehaviour.BurstBlock(100_000, MS))));
        return new SimWorkload(nrPcpus, List.of(io, burner(2, burnerWeight, 0), burner(3, burnerWeight, 0)));
    }

    @Test
    void anIoDomainNextToTwoBurnersIsRunWithinTheRatelimitOfWaking() {
        SimReport credit = runCredit(ioNextToTwoBurners(1, 256), SECONDS_10);
        SimReport rr = SchedSim.run(new RoundRobinPolicy(), ioNextToTwoBurners(1, 256), SECONDS_10);
        System.out.println("io + 2 burners, 1 pCPU, credit: " + credit.domains().get(1) + ", rr: " + rr.domains().get(1));
        SimReport.DomainStats io = credit.domains().get(1);
        assertTrue(io.wakeLatenciesNs().length > 5000, io.toString());
        assertTrue(io.latencyPercentile(99) <= MS, io.toString());
        assertTrue(rr.domains().get(1).latencyPercentile(99) > 10 * MS, rr.domains().get(1).toString());
    }

    @Test
    void boostLetsAWokenUnderVcpuPreemptUnderBurners() {
        // Two pCPUs, two heavy burners: they stay UNDER most of the time, so only BOOST gets the
        // woken I/O vCPU a pCPU before a burner's slice ends.
        SimReport boosted = runCredit(ioNextToTwoBurners(2, 4096), SECONDS_10);
        SimReport unboosted = runCredit(CreditPolicy.withoutBoost(), ioNextToTwoBurners(2, 4096), SECONDS_10, false);
        System.out.println("io + 2 heavy burners, 2 pCPUs, boost: " + boosted.domains().get(1)
                + ", without boost: " + unboosted.domains().get(1));
        assertTrue(boosted.domains().get(1).latencyPercentile(99) <= MS, boosted.domains().get(1).toString());
        assertTrue(unboosted.domains().get(1).latencyPercentile(99) >= 10 * MS, unboosted.domains().get(1).toString());
    }

    @Test
    void aPinnedVcpuNeverRunsElsewhereEvenWhenAnotherPcpuIdles() {
        SimReport r = runCredit(new CreditPolicy(), new SimWorkload(2, List.of(
                new Domain(1, 256, 0, List.of(Vcpu.pinned(CPU, 1), Vcpu.pinned(CPU, 1))),
                new Domain(2, 256, 0, List.of(Vcpu.of(new SimBehaviour.BurstBlock(5 * MS, 20 * MS)))))),
                SECONDS_10, true);
        long onZero = r.segments().stream().filter(s -> s.domid() == 1 && s.pcpu() == 0).count();
        System.out.printf("pinned: d1 %.4f d2 %.4f, d1 segments on pcpu0 %d%n", r.share(1), r.share(2), onZero);
        assertEquals(0, onZero);
        assertEquals(0.5, r.share(1), 0.001);   // pCPU 1 is all d1's
    }

    @Test
    void yieldingJustBeforeEachTickDoesNotEscapeAccounting() {
        Domain attacker = new Domain(1, 256, 0, List.of(Vcpu.of(new SimBehaviour.YieldBeforeTick(10 * MS, 100_000))));
        SimReport r = runCredit(new SimWorkload(1, List.of(attacker, burner(2, 256, 0), burner(3, 256, 0))),
                SECONDS_10);
        System.out.printf("yield attack -> attacker %.4f, burners %.4f %.4f%n", r.share(1), r.share(2), r.share(3));
        // Charged for every nanosecond it ran, it gets no more than its weight's share (it gets less:
        // each yield hands a whole slice to a burner, as Xen's yield does).
        assertTrue(r.share(1) <= 1.0 / 3 + 0.02, "attacker share " + r.share(1));
        assertTrue(r.share(1) > 0.15, "attacker share " + r.share(1));
    }

    @Test
    void roundRobinInTheSimulatorSharesEquallyAndIgnoresWeights() {
        SchedulerPolicy rr = new RoundRobinPolicy();
        SimReport r = SchedSim.run(rr, new SimWorkload(1, List.of(burner(1, 256, 0), burner(2, 1024, 0))), SECONDS_10);
        System.out.printf("rr -> %.4f %.4f, %d switches%n", r.share(1), r.share(2), r.contextSwitches());
        assertEquals(0.5, r.share(1), 0.01);
        assertEquals(0.5, r.share(2), 0.01);
        assertEquals(SECONDS_10 / RoundRobinPolicy.DEFAULT_SLICE_NS, r.contextSwitches(), 2);
    }
}
