package org.hvsim.hv.sched.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hvsim.hv.sched.RoundRobinPolicy;
import org.hvsim.hv.sched.SchedSim;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.sched.SimBehaviour;
import org.hvsim.hv.sched.SimReport;
import org.hvsim.hv.sched.SimWorkload;

/**
 * Random workloads under credit (with and without BOOST) and round robin: no unit runs on two pCPUs
 * at once, no pCPU runs two units at once, nothing runs outside its hard affinity, and all CPU time
 * is accounted for (domains' time + idle = pCPUs × duration).
 */
class SchedInvariantsPropertyTest {
    private static final long MS = 1_000_000L;

    @Property(tries = 150)
    void randomWorkloadsKeepTheSchedulingInvariants(@ForAll("workloads") SimWorkload w,
                                                    @ForAll("policies") String which,
                                                    @ForAll("durations") long durationNs,
                                                    @ForAll("tslices") int tsliceMs,
                                                    @ForAll("ratelimits") int ratelimitUs) {
        SchedulerPolicy policy = switch (which) {
            case "credit" -> new CreditPolicy();
            case "credit-noboost" -> CreditPolicy.withoutBoost();
            default -> new RoundRobinPolicy();
        };
        SchedSim.DomainParams params = policy instanceof CreditPolicy c
                ? (domid, weight, cap) -> {
                    c.setWeight(domid, weight);
                    c.setCap(domid, cap);
                }
                : SchedSim.DomainParams.NONE;
        if (policy instanceof CreditPolicy c) {
            c.setParams(tsliceMs, Math.min(ratelimitUs, tsliceMs * 1000));
        }
        SimReport r = SchedSim.run(policy, w, durationNs, params, true);

        assertEquals((long) w.nrPcpus() * durationNs, r.accountedNs(), "all CPU time accounted");
        Map<Integer, Long> perDomain = new HashMap<>();
        Map<String, List<SimReport.Segment>> perUnit = new HashMap<>();
        Map<Integer, List<SimReport.Segment>> perPcpu = new HashMap<>();
        for (SimReport.Segment s : r.segments()) {
            assertTrue(s.start() < s.end() && s.start() >= 0 && s.end() <= durationNs, s.toString());
            BitSet affinity = w.domains().stream().filter(d -> d.domid() == s.domid()).findFirst().orElseThrow()
                    .vcpus().get(s.vcpuId()).hardAffinity();
            assertTrue(affinity == null || affinity.get(s.pcpu()), "outside hard affinity: " + s);
            perDomain.merge(s.domid(), s.end() - s.start(), Long::sum);
            perUnit.computeIfAbsent(s.domid() + "." + s.vcpuId(), k -> new ArrayList<>()).add(s);
            perPcpu.computeIfAbsent(s.pcpu(), k -> new ArrayList<>()).add(s);
        }
        perUnit.values().forEach(list -> assertNoOverlap(list, "a unit on two pCPUs at once"));
        perPcpu.values().forEach(list -> assertNoOverlap(list, "a pCPU running two units at once"));
        for (SimWorkload.Domain d : w.domains()) {
            assertEquals(r.domains().get(d.domid()).cpuNs(), perDomain.getOrDefault(d.domid(), 0L));
        }
    }

    private static void assertNoOverlap(List<SimReport.Segment> segments, String what) {
        List<SimReport.Segment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingLong(SimReport.Segment::start));
        for (int i = 1; i < sorted.size(); i++) {
            assertTrue(sorted.get(i - 1).end() <= sorted.get(i).start(), what + ": " + sorted.get(i - 1) + " " + sorted.get(i));
        }
    }

    @Provide
    Arbitrary<String> policies() {
        return Arbitraries.of("credit", "credit-noboost", "rr");
    }

    @Provide
    Arbitrary<Integer> tslices() {
        return Arbitraries.oneOf(Arbitraries.just(30), Arbitraries.integers().between(1, 100));
    }

    @Provide
    Arbitrary<Integer> ratelimits() {
        return Arbitraries.of(0, 100, 1000, 5000);
    }

    @Provide
    Arbitrary<Long> durations() {
        return Arbitraries.longs().between(50, 600).map(ms -> ms * MS + 12_345);
    }

    @Provide
    Arbitrary<SimWorkload> workloads() {
        return Arbitraries.integers().between(1, 3).flatMap(nrPcpus ->
                domain(nrPcpus).list().ofMinSize(1).ofMaxSize(4).map(ds -> {
                    List<SimWorkload.Domain> numbered = new ArrayList<>();
                    for (int i = 0; i < ds.size(); i++) {
                        SimWorkload.Domain d = ds.get(i);
                        numbered.add(new SimWorkload.Domain(i + 1, d.weight(), d.cap(), d.vcpus()));
                    }
                    return new SimWorkload(nrPcpus, numbered);
                }));
    }

    private static Arbitrary<SimWorkload.Domain> domain(int nrPcpus) {
        Arbitrary<Integer> weight = Arbitraries.integers().between(1, 65535);
        Arbitrary<Integer> cap = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 100 * nrPcpus));
        return Combinators.combine(weight, cap, vcpu(nrPcpus).list().ofMinSize(1).ofMaxSize(3))
                .as((wt, c, vs) -> new SimWorkload.Domain(0, wt, c, vs));
    }

    private static Arbitrary<SimWorkload.Vcpu> vcpu(int nrPcpus) {
        Arbitrary<SimBehaviour> behaviour = Arbitraries.oneOf(
                Arbitraries.just(new SimBehaviour.CpuBound()),
                Combinators.combine(Arbitraries.longs().between(10_000, 20 * MS), Arbitraries.longs().between(10_000, 50 * MS))
                        .as(SimBehaviour.BurstBlock::new),
                Arbitraries.longs().between(1_000, 9 * MS).map(lead -> new SimBehaviour.YieldBeforeTick(10 * MS, lead)));
        Arbitrary<BitSet> affinity = Arbitraries.integers().between(0, (1 << nrPcpus) - 1).map(mask -> {
            if (mask == 0) {
                return null;
            }
            BitSet set = new BitSet();
            for (int c = 0; c < nrPcpus; c++) {
                if ((mask & (1 << c)) != 0) {
                    set.set(c);
                }
            }
            return set;
        });
        return Combinators.combine(behaviour, affinity).as(SimWorkload.Vcpu::new);
    }
}
