package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hvsim.proto.control.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InfoCommandTest {
    private static final String HOST_LINES = ""
            + "host                   : lab1\n"
            + "release                : 6.1.0-hvsim\n"
            + "version                : #1 SMP\n"
            + "machine                : x86_64\n"
            + "nr_cpus                : 4\n"
            + "max_cpu_id             : 3\n"
            + "nr_nodes               : 1\n"
            + "cores_per_socket       : 2\n"
            + "threads_per_core       : 2\n"
            + "cpu_mhz                : 2400.050\n"
            + "hw_caps                : 178bfbff:f6d8320b:2c100800:000065f3:00000000:00000000:00000000:00000000\n"
            + "virt_caps              : pv gnttab-v1\n"
            + "total_memory           : 4096\n"
            + "free_memory            : 3000\n"
            + "sharing_freed_memory   : 0\n"
            + "sharing_used_memory    : 0\n"
            + "outstanding_claims     : 0\n"
            + "free_cpus              : 0\n";
    private static final String XEN_LINES = ""
            + "xen_major              : 4\n"
            + "xen_minor              : 19\n"
            + "xen_extra              : .0-hvsim\n"
            + "xen_version            : 4.19.0-hvsim\n"
            + "xen_caps               : xen-3.0-x86_64\n"
            + "xen_scheduler          : rr\n"
            + "xen_pagesize           : 4096\n"
            + "platform_params        : virt_start=0xffff800000000000\n"
            + "xen_changeset          : \n"
            + "xen_commandline        : dom0_mem=512M\n"
            + "cc_compiler            : javac 25\n"
            + "cc_compile_by          : hvsim\n"
            + "cc_compile_domain      : \n"
            + "cc_compile_date        : 2026-11-22\n"
            + "build_id               : 0123abcd\n";

    private XlHarness xl;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        xl.host.hostInfo = HostInfo.newBuilder().setHost("lab1").setRelease("6.1.0-hvsim").setVersion("#1 SMP")
                .setMachine("x86_64").setNrCpus(4).setMaxCpuId(3).setNrNodes(1).setCoresPerSocket(2)
                .setThreadsPerCore(2).setCpuKhz(2_400_050).addHwCaps(0x178bfbff).addHwCaps(0xf6d8320b)
                .addHwCaps(0x2c100800).addHwCaps(0x000065f3).addVirtCaps("pv").addVirtCaps("gnttab-v1")
                .setTotalMemory(4096).setFreeMemory(3000).setXenMajor(4).setXenMinor(19).setXenExtra(".0-hvsim")
                .setXenCaps("xen-3.0-x86_64").setXenScheduler("rr").setXenPagesize(4096)
                .setPlatformParams("virt_start=0xffff800000000000").setXenCommandline("dom0_mem=512M")
                .setCcCompiler("javac 25").setCcCompileBy("hvsim").setCcCompileDate("2026-11-22")
                .setBuildId("0123abcd").build();
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    @Test
    void everyLineInXensOrder() {
        XlHarness.Result r = xl.run("info");

        assertEquals(0, r.exit(), r.err());
        assertEquals(HOST_LINES + XEN_LINES + "xend_config_format     : 4\n", r.out());
    }

    @Test
    void aKeyPrintsOnlyTheValuesOfTheLinesItStarts() {
        assertEquals("3000\n", xl.run("info", "free_memory").out());
        assertEquals("3000\n0\n", xl.run("info", "free_").out());
        assertEquals("4\n19\n.0-hvsim\n4.19.0-hvsim\nxen-3.0-x86_64\nrr\n4096\n\ndom0_mem=512M\n",
                xl.run("info", "xen_").out());
        assertEquals("\n", xl.run("info", "xen_changeset").out());
        assertEquals("", xl.run("info", "no_such_key").out());
        assertEquals("pv gnttab-v1\n", xl.run("info", "virt_caps").out());
    }

    @Test
    void anEmptyVirtCapsLineHasNoValueToSelect() {
        xl.host.hostInfo = xl.host.hostInfo.toBuilder().clearVirtCaps().build();

        assertEquals("virt_caps              :\n", xl.run("info").out().lines()
                .filter(l -> l.startsWith("virt_caps")).findFirst().orElseThrow() + "\n");
        assertEquals("", xl.run("info", "virt_caps").out());
    }

    @Test
    void numaAddsTheTopologyTablesAndIgnoresTheKey() {
        XlHarness.Result r = xl.run("info", "-n", "free_memory");

        assertEquals(HOST_LINES
                + "cpu_topology           :\n"
                + "cpu:    core    socket     node\n"
                + "  0:       0        0        0\n"
                + "  1:       0        0        0\n"
                + "  2:       1        0        0\n"
                + "  3:       1        0        0\n"
                + "device topology        :\n"
                + "device           node\n"
                + "No device topology data available\n"
                + "numa_info              :\n"
                + "node:    memsize    memfree    distances\n"
                + "   0:      4096       3000      10\n"
                + XEN_LINES + "xend_config_format     : 4\n", r.out());
    }

    @Test
    void xenstoreAddsTheFeatureWordBeforeTheLastLine() {
        assertEquals("0x00000000\n", xl.run("info", "-x", "xenstore").out());
        String all = xl.run("info", "--xenstore").out();
        assertEquals(HOST_LINES + XEN_LINES + "xenstore_features      : 0x00000000\nxend_config_format     : 4\n", all);
    }
}
