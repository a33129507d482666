package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.tools.client.UnixSocketConnector;
import org.hvsim.tools.xlcfg.DomainConfigJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListCommandTest {
    private static final String HEADER =
            "Name                                        ID   Mem VCPUs\tState\tTime(s)\n";

    private XlHarness xl;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    private static DomainInfo.Builder domain(int domid, String name, long memMib, int vcpus, long cpuNs) {
        return DomainInfo.newBuilder().setDomid(domid).setName(name).setCurrentMemkb(memMib * 1024)
                .setOnlineVcpus(vcpus).setCpuTimeNs(cpuNs)
                .setUuid(String.format("%08x-0000-4000-8000-%012x", domid, domid));
    }

    @Test
    void headerHasTwoTabsAndRowsFollowXlsPrintfFormat() {
        // The first row is the example of xl(1): Domain-0, 750 MiB, 4 vCPUs, running, 11794.3 s.
        xl.host.domains.add(domain(0, "Domain-0", 750, 4, 11_794_300_000_000L).setRunning(true).build());
        xl.host.domains.add(domain(3, "guest", 255, 1, 1_250_000_000L).setBlocked(true)
                .setCurrentMemkb(200 * 1024 + 512).setOutstandingMemkb(55 * 1024 + 512).build());

        XlHarness.Result r = xl.run("list");

        assertEquals(0, r.exit(), r.err());
        assertEquals(HEADER
                + "Domain-0                                     0   750     4     r-----   11794.3\n"
                + "guest                                        3   256     1     -b----       1.2\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void everyStateFlagInItsColumn() {
        xl.host.domains.add(domain(1, "paused", 64, 1, 0).setPaused(true).build());
        xl.host.domains.add(domain(2, "poweroff", 64, 1, 0).setShutdown(true).setShutdownReason(0).build());
        xl.host.domains.add(domain(3, "reboot", 64, 1, 0).setShutdown(true).setShutdownReason(1).build());
        xl.host.domains.add(domain(4, "suspended", 64, 1, 0).setShutdown(true).setShutdownReason(2).build());
        xl.host.domains.add(domain(5, "crashed", 64, 1, 0).setShutdown(true).setShutdownReason(3).build());
        xl.host.domains.add(domain(6, "watchdog", 64, 1, 0).setShutdown(true).setShutdownReason(4).build());
        xl.host.domains.add(domain(7, "soft-reset", 64, 1, 0).setShutdown(true).setShutdownReason(5).build());
        xl.host.domains.add(domain(8, "odd-reason", 64, 1, 0).setShutdown(true).setShutdownReason(9).build());
        xl.host.domains.add(domain(9, "dying", 64, 1, 0).setDying(true).build());
        xl.host.domains.add(domain(10, "reason-but-up", 64, 1, 0).setShutdownReason(3).setRunning(true).build());
        xl.host.domains.add(domain(11, "everything", 64, 1, 0).setRunning(true).setBlocked(true).setPaused(true)
                .setShutdown(true).setShutdownReason(3).setDying(true).build());

        XlHarness.Result r = xl.run("list");

        assertEquals(HEADER
                + "paused                                       1    64     1     --p---       0.0\n"
                + "poweroff                                     2    64     1     ---s--       0.0\n"
                + "reboot                                       3    64     1     ---sr-       0.0\n"
                + "suspended                                    4    64     1     ---ss-       0.0\n"
                + "crashed                                      5    64     1     ---sc-       0.0\n"
                + "watchdog                                     6    64     1     ---sw-       0.0\n"
                + "soft-reset                                   7    64     1     ---sS-       0.0\n"
                + "odd-reason                                   8    64     1     ---s?-       0.0\n"
                + "dying                                        9    64     1     -----d       0.0\n"
                + "reason-but-up                               10    64     1     r-----       0.0\n"
                + "everything                                  11    64     1     rbpscd       0.0\n", r.out());
    }

    @Test
    void rowsAreInDomainIdOrderAndLongNamesAreNotCut() {
        xl.host.domains.add(domain(12, "a-name-that-is-much-longer-than-forty-columns-wide", 1, 1, 0).build());
        xl.host.domains.add(domain(0, "Domain-0", 512, 2, 0).build());

        XlHarness.Result r = xl.run("list");

        assertEquals(HEADER
                + "Domain-0                                     0   512     2     ------       0.0\n"
                + "a-name-that-is-much-longer-than-forty-columns-wide    12     1     1     ------       0.0\n",
                r.out());
    }

    @Test
    void verboseAddsUuidReasonCodeAndSecurityLabel() {
        xl.host.domains.add(domain(0, "Domain-0", 512, 2, 0).setRunning(true).setSsidLabel("system_u:system_r:dom0_t")
                .build());
        xl.host.domains.add(domain(5, "crashed", 64, 1, 0).setShutdown(true).setShutdownReason(3).build());
        xl.host.domains.add(domain(26, "odd", 64, 1, 0).setShutdown(true).setShutdownReason(26).build());

        XlHarness.Result r = xl.run("list", "-v");

        assertEquals("Name                                        ID   Mem VCPUs\tState\tTime(s)"
                + "   UUID                            Reason-Code\tSecurity Label\n"
                + "Domain-0                                     0   512     2     r-----       0.0"
                + " 00000000-0000-4000-8000-000000000000        - system_u:system_r:dom0_t\n"
                + "crashed                                      5    64     1     ---sc-       0.0"
                + " 00000005-0000-4000-8000-000000000005        3                -\n"
                + "odd                                         26    64     1     ---s?-       0.0"
                + " 0000001a-0000-4000-8000-00000000001a       1a                -\n", r.out());
    }

    @Test
    void contextAloneAddsTheSecurityLabel() {
        xl.host.domains.add(domain(0, "Domain-0", 512, 2, 0).build());

        XlHarness.Result r = xl.run("list", "-Z");

        assertEquals("Name                                        ID   Mem VCPUs\tState\tTime(s)   Security Label\n"
                + "Domain-0                                     0   512     2     ------       0.0                -\n",
                r.out());
    }

    @Test
    void oneDomainByNameOrById() {
        xl.host.domains.add(domain(0, "Domain-0", 512, 2, 0).build());
        xl.host.domains.add(domain(4, "web", 128, 1, 0).build());
        String row = "web                                          4   128     1     ------       0.0\n";

        assertEquals(HEADER + row, xl.run("list", "web").out());
        assertEquals(HEADER + row, xl.run("list", "4").out());
    }

    @Test
    void anUnknownDomainIdDoesNotExistAndAnUnknownNameIsAnInvalidIdentifier() {
        xl.host.domains.add(domain(0, "Domain-0", 512, 2, 0).build());

        XlHarness.Result byId = xl.run("list", "7");
        assertEquals(1, byId.exit());
        assertEquals("", byId.out());
        assertEquals("Error: Domain '7' does not exist.\n", byId.err());

        XlHarness.Result byName = xl.run("list", "foo");
        assertEquals(1, byName.exit());
        assertEquals("foo is an invalid domain identifier (rc=-6)\n", byName.err());
    }

    @Test
    void longPrintsEachDomainsConfigurationAsXlsJsonArray() {
        DomainConfig dom0 = DomainConfig.newBuilder().setName("Domain-0").setVcpus(2).setTargetMemkb(512 * 1024).build();
        DomainConfig web = DomainConfig.newBuilder().setName("web").setVcpus(1).setTargetMemkb(128 * 1024)
                .setKernel("idle").build();
        xl.host.domains.add(domain(0, "Domain-0", 512, 2, 0).setConfig(dom0).build());
        xl.host.domains.add(domain(4, "web", 128, 1, 0).setConfig(web).build());
        xl.host.domains.add(domain(5, "no-config-yet", 128, 1, 0).build());

        XlHarness.Result r = xl.run("list", "-l");

        assertEquals(0, r.exit(), r.err());
        assertEquals(DomainConfigJson.array(List.of(Map.entry(0, dom0), Map.entry(4, web))), r.out());
        assertTrue(r.out().contains("\"domid\": 4"), r.out());
        assertEquals(DomainConfigJson.array(List.of(Map.entry(4, web))), xl.run("list", "-l", "web").out());
    }

    @Test
    void aHostThatIsNotRunningIsOneLineNamingTheSocket() {
        XlHarness.Result r = xl.run(new UnixSocketConnector(
                Path.of("/nonexistent/hvsim-home/control.sock")), new ByteArrayInputStream(
                new byte[0]), "list");

        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("xl: no hvsim host is running: /nonexistent/hvsim-home/control.sock does not exist; "
                + "start one with tools/bin/hvsim start\n", r.err());
    }
}
