package org.hvsim.hv.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class SimWorkloadParserTest {

    @Test
    void readsPcpusDomainsBehavioursAndAffinity() {
        SimWorkload w = SimWorkloadParser.parse("""
                # two burners and an I/O guest
                pcpus 4
                domain 1 weight=512 cap=50 vcpus=2 cpus=0,2-3
                domain 2 run=burst:100us/1ms
                domain 3 run=yield:10ms/100us   # the attacker
                """);
        assertEquals(4, w.nrPcpus());
        assertEquals(3, w.domains().size());
        SimWorkload.Domain d1 = w.domains().get(0);
        assertEquals(512, d1.weight());
        assertEquals(50, d1.cap());
        assertEquals(2, d1.vcpus().size());
        BitSet expected = new BitSet();
        expected.set(0);
        expected.set(2, 4);
        assertEquals(expected, d1.vcpus().get(1).hardAffinity());
        assertEquals(new SimBehaviour.CpuBound(), d1.vcpus().get(0).behaviour());
        SimWorkload.Domain d2 = w.domains().get(1);
        assertEquals(256, d2.weight());
        assertNull(d2.vcpus().get(0).hardAffinity());
        assertEquals(new SimBehaviour.BurstBlock(100_000, 1_000_000), d2.vcpus().get(0).behaviour());
        assertEquals(new SimBehaviour.YieldBeforeTick(10_000_000, 100_000), w.domains().get(2).vcpus().get(0).behaviour());
    }

    @Test
    void durationsTakeUnits() {
        assertEquals(7, SimWorkloadParser.duration("7"));
        assertEquals(7, SimWorkloadParser.duration("7ns"));
        assertEquals(7_000, SimWorkloadParser.duration("7us"));
        assertEquals(7_000_000, SimWorkloadParser.duration("7ms"));
        assertEquals(7_000_000_000L, SimWorkloadParser.duration("7s"));
    }

    @Test
    void errorsNameTheLine() {
        assertMessage("line 2: cpus '0-4' not within 0-1", "pcpus 2\ndomain 1 cpus=0-4");
        assertMessage("line 1: unknown key 'wieght'", "domain 1 wieght=3");
        assertMessage("line 1: run is cpu, burst:RUN/BLOCK or yield:TICK/LEAD, got 'burst:1ms'", "domain 1 run=burst:1ms");
        assertMessage("line 2: domain 1 given twice", "domain 1\ndomain 1");
        assertMessage("line 2: 'pcpus N' comes once, before the domains", "domain 1\npcpus 2");
        assertMessage("no domain in the workload", "pcpus 2");
        assertMessage("line 1: weight is not a number: 'x'", "domain 1 weight=x");
    }

    private static void assertMessage(String message, String text) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> SimWorkloadParser.parse(text)).getMessage());
    }
}
