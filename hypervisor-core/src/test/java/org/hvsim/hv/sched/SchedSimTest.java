package org.hvsim.hv.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.hvsim.hv.sched.SimWorkload.Domain;
import org.hvsim.hv.sched.SimWorkload.Vcpu;
import org.junit.jupiter.api.Test;

/** The simulator itself, driving the round-robin policy. */
class SchedSimTest {
    private static final long MS = 1_000_000L;

    @Test
    void aLoneBurstBlockVcpuRunsItsBurstsAndIsRunAtOnceOnEveryWake() {
        Domain io = new Domain(1, 256, 0, List.of(Vcpu.of(new SimBehaviour.BurstBlock(2 * MS, 3 * MS))));
        SimReport r = SchedSim.run(new RoundRobinPolicy(), new SimWorkload(1, List.of(io)), 100 * MS);
        // Runs [0,2) [5,7) ... [95,97): 20 bursts of 2 ms; 19 wakes, each run at once.
        assertEquals(40 * MS, r.domains().get(1).cpuNs());
        assertEquals(60 * MS, r.idleNs());
        assertEquals(19, r.domains().get(1).wakeLatenciesNs().length);
        assertEquals(0, r.domains().get(1).latencyPercentile(100));
        assertEquals(20, r.contextSwitches());
    }

    @Test
    void roundRobinMakesAWokenVcpuWaitForTheRunningSlice() {
        Domain io = new Domain(1, 256, 0, List.of(Vcpu.of(new SimBehaviour.BurstBlock(MS, MS))));
        SimReport r = SchedSim.run(new RoundRobinPolicy(10 * MS),
                new SimWorkload(1, List.of(io, Domain.cpuBound(2, 1))), 1_000 * MS);
        // Every wake waits out the burner's whole 10 ms slice less the 1 ms block.
        assertEquals(9 * MS, r.domains().get(1).latencyPercentile(50));
        assertEquals(9 * MS, r.domains().get(1).latencyPercentile(99));
        assertEquals(1_000 * MS, r.accountedNs());
    }

    @Test
    void yieldBeforeTickYieldsAtTheGivenLead() {
        SimBehaviour.YieldBeforeTick y = new SimBehaviour.YieldBeforeTick(10 * MS, MS);
        assertEquals(9 * MS, y.nextYieldAfter(0));
        assertEquals(19 * MS, y.nextYieldAfter(9 * MS));
        SimReport r = SchedSim.run(new RoundRobinPolicy(), new SimWorkload(1, List.of(
                new Domain(1, 256, 0, List.of(Vcpu.of(y))), Domain.cpuBound(2, 1))), 100 * MS, SchedSim.DomainParams.NONE, true);
        // The yielder runs [0,9), the burner a 30 ms slice [9,39), the yielder [39,49), ...
        assertEquals(new SimReport.Segment(0, 1, 0, 0, 9 * MS), r.segments().get(0));
        assertEquals(new SimReport.Segment(0, 2, 0, 9 * MS, 39 * MS), r.segments().get(1));
        assertEquals(new SimReport.Segment(0, 1, 0, 39 * MS, 49 * MS), r.segments().get(2));
    }

    @Test
    void aPolicyPickingAUnitOutsideItsAffinityIsRefused() {
        SchedulerPolicy wrong = new SchedulerPolicy() {
            private SchedUnit only;

            @Override
            public String name() {
                return "wrong";
            }

            @Override
            public int schedulerId() {
                return -1;
            }

            @Override
            public void insertUnit(SchedUnit unit) {
                only = unit;
            }

            @Override
            public void removeUnit(SchedUnit unit) {}

            @Override
            public int wake(SchedUnit unit, WakeCause cause, long now) {
                return 0;
            }

            @Override
            public void sleep(SchedUnit unit, long now) {}

            @Override
            public void yield(SchedUnit unit) {}

            @Override
            public Decision doSchedule(int pcpu, SchedUnit prev, boolean prevEligible, long ranNs, long now) {
                return new Decision(only, MS);
            }
        };
        SimWorkload w = new SimWorkload(2, List.of(new Domain(1, 256, 0,
                List.of(Vcpu.pinned(new SimBehaviour.CpuBound(), 1)))));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SchedSim.run(wrong, w, 10 * MS));
        assertTrue(e.getMessage().contains("cannot run on pcpu0"), e.getMessage());
    }

    @Test
    void percentilesAreNearestRank() {
        SimReport.DomainStats s = new SimReport.DomainStats(1, 0, new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertEquals(5, s.latencyPercentile(50));
        assertEquals(10, s.latencyPercentile(99));
        assertEquals(1, s.latencyPercentile(0));
        assertArrayEquals(new long[0], new SimReport.DomainStats(1, 0, new long[0]).wakeLatenciesNs());
        assertEquals(0, new SimReport.DomainStats(1, 0, new long[0]).latencyPercentile(99));
    }

    @Test
    void theNearestRankHasNoFloatingPointError() {
        long[] lat = new long[1000];
        for (int i = 0; i < lat.length; i++) {
            lat[i] = i + 1;
        }
        SimReport.DomainStats s = new SimReport.DomainStats(1, 0, lat);
        // 99.9 % of 1000 is rank 999 exactly (99.9 / 100.0 * 1000 is 999.0000000000001 in doubles).
        assertEquals(999, s.latencyPercentile(99.9));
        assertEquals(990, s.latencyPercentile(99));
        assertEquals(1000, s.latencyPercentile(99.95));
        assertEquals(1000, s.latencyPercentile(100));
        assertEquals(1, s.latencyPercentile(0.1));
        assertEquals(2, s.latencyPercentile(0.11));
        // 7 % of 100 is rank 7 (7 / 100.0 * 100 is 7.000000000000001 in doubles).
        long[] hundred = Arrays.copyOf(lat, 100);
        assertEquals(7, new SimReport.DomainStats(1, 0, hundred).latencyPercentile(7));
        assertEquals(57, new SimReport.DomainStats(1, 0, hundred).latencyPercentile(57));
    }
}
