package org.hvsim.hv.sched.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.hv.sched.SimBehaviour;
import org.hvsim.hv.sched.SimReport;
import org.hvsim.hv.sched.SimWorkload;
import org.junit.jupiter.api.Test;

/** The exact text of a report, from hand-made numbers. */
class SimReportTableTest {
    private static final long S = 1_000_000_000L;

    @Test
    void sharesLatenciesIdleAndSwitches() {
        SimWorkload w = new SimWorkload(2, List.of(
                new SimWorkload.Domain(1, 256, 0, List.of(SimWorkload.Vcpu.of(new SimBehaviour.CpuBound()))),
                new SimWorkload.Domain(12, 1024, 150,
                        List.of(SimWorkload.Vcpu.of(new SimBehaviour.BurstBlock(100_000, 1_000_000))))));
        Map<Integer, SimReport.DomainStats> stats = new LinkedHashMap<>();
        stats.put(1, new SimReport.DomainStats(1, 3 * S / 2, new long[0]));
        long[] lat = new long[1000];
        for (int i = 0; i < lat.length; i++) {
            lat[i] = 1_000L * (i + 1);   // 1 µs .. 1000 µs: p99.9 is the 999th, 999 µs
        }
        stats.put(12, new SimReport.DomainStats(12, S / 4, lat));
        SimReport r = new SimReport(2, 2 * S, stats, 4 * S - 3 * S / 2 - S / 4, 4321, List.of());

        assertEquals("""
                scheduler credit, 2 pCPUs, 2.000 s simulated
                Domain Weight  Cap  Host%  pCPU%   Wakes    p50 ms    p99 ms  p99.9 ms
                     1    256    0   37.5   75.0       0         -         -         -
                    12   1024  150    6.3   12.5    1000     0.500     0.990     0.999
                  idle               56.3  112.5
                Context switches: 4321
                """, SimReportTable.text(SchedChoice.CREDIT, w, r));
    }
}
