package org.hvsim.tools.hvsim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** bench-sched reads iolat's report lines as the guest prints them (IoLatencyAppTest holds the other side). */
class SchedBenchTest {
    @Test
    void aReportLineParses() {
        Matcher m = SchedBench.REPORT.matcher("hvsim minios: ...\niolat: report 3: 4 wakes: p50 10.0 us, "
                + "p99 1234.5 us, p99.9 1234.5 us, max 2000.1 us\n");
        assertTrue(m.find());
        assertEquals("3", m.group(1));
        assertEquals(new SchedBench.Latency(4, 10.0, 1234.5, 1234.5, 2000.1), SchedBench.Latency.of(m));
    }
}
