package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.hvsim.proto.control.CpuSet;
import org.junit.jupiter.api.Test;

class CpuListTest {

    private static CpuSet cpus(Integer... cpus) {
        return CpuSet.newBuilder().addAllCpus(List.of(cpus)).build();
    }

    private static CpuSet allBut(Integer... cpus) {
        return CpuSet.newBuilder().setAll(true).addAllCpus(List.of(cpus)).build();
    }

    private static String error(String text) {
        return assertThrows(XlSpecException.class, () -> CpuList.parse(text)).getMessage();
    }

    @Test
    void readsNumbersRangesAndRemovalsLeftToRight() throws Exception {
        assertEquals(cpus(0, 2, 3, 5), CpuList.parse("0-3,5,^1"));
        assertEquals(cpus(3, 4, 6, 7, 8), CpuList.parse("3-8,^5"));
        assertEquals(cpus(1), CpuList.parse("1,,1"));
        assertEquals(cpus(2, 7), CpuList.parse(" 7, 2"));
        assertEquals(cpus(4), CpuList.parse("^4,4"));
    }

    @Test
    void allAndNodeZeroMeanEveryCpu() throws Exception {
        assertEquals(allBut(), CpuList.parse("all"));
        assertEquals(allBut(7), CpuList.parse("all,^7"));
        assertEquals(allBut(), CpuList.parse("3,all"));
        assertEquals(allBut(1, 2), CpuList.parse("all,^1-3,3"));
        assertEquals(allBut(), CpuList.parse("nodes:0"));
        assertEquals(allBut(), CpuList.parse("node:0-0"));
        assertEquals(cpus(2), CpuList.parse("nodes:0,^node:0,2"));
        assertEquals(allBut(5), CpuList.parse("nodes:all,^5"));
    }

    @Test
    void refusesWhatXlRefusesAndWhatSelectsNothing() {
        assertEquals("Can't combine \"^\" and \"all\".", error("^all"));
        assertEquals("Invalid pcpu range: 3-1.", error("3-1"));
        assertEquals("Invalid pcpu range: x.", error("x"));
        assertEquals("Invalid pcpu range: 1-.", error("1-"));
        assertEquals("Invalid pcpu range: 1 .", error("1 "));
        assertEquals("Invalid pcpu range: 0-4096 (CPU numbers are below 4096).", error("0-4096"));
        assertEquals("Invalid pcpu range: 99999999999999 (CPU numbers are below 4096).", error("99999999999999"));
        assertEquals("Invalid NUMA node range: 1 (the host has one node, node 0).", error("nodes:1"));
        assertEquals("CPULIST `0,^0' selects no CPU.", error("0,^0"));
        assertEquals("CPULIST `' selects no CPU.", error(""));
        assertEquals("CPULIST `nodes:0,^nodes:0' selects no CPU.", error("nodes:0,^nodes:0"));
    }

    @Test
    void formatsLikeXl() {
        assertEquals("0-3,6", CpuList.format(cpus(6, 3, 2, 1, 0, 2)));
        assertEquals("5", CpuList.format(cpus(5)));
        assertEquals("all", CpuList.format(allBut()));
        assertEquals("all,^7,^9-10", CpuList.format(allBut(10, 7, 9)));
        assertEquals("none", CpuList.format(cpus()));
    }
}
