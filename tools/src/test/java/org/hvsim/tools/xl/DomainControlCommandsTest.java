package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.proto.control.DestroyDomainRequest;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.proto.control.RenameDomainRequest;
import org.hvsim.proto.control.ShutdownDomainRequest;
import org.hvsim.proto.control.ShutdownKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** destroy, pause, unpause, rename, shutdown and reboot: what they ask dom0, and their errors. */
class DomainControlCommandsTest {
    private XlHarness xl;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(0).setName("Domain-0").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(3).setName("web").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(5).setName("db").setShutdown(true).setShutdownReason(0)
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    private static ShutdownDomainRequest shutdown(int domid, ShutdownKind kind, boolean wait, boolean death) {
        return ShutdownDomainRequest.newBuilder().setDomain(Integer.toString(domid)).setKind(kind).setWait(wait)
                .setWaitForDeath(death).build();
    }

    @Test
    void destroyResolvesANameAndSendsTheDomainId() {
        XlHarness.Result r = xl.run("destroy", "web");

        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(DestroyDomainRequest.newBuilder().setDomain("3").build()), xl.host.requests);
    }

    @Test
    void destroyOfDomain0NeedsForce() {
        XlHarness.Result r = xl.run("destroy", "Domain-0");

        assertEquals(1, r.exit());
        assertEquals("Not destroying domain 0; use -f to force.\n"
                + "This can only be done when using a disaggregated hardware domain and toolstack.\n\n", r.err());
        assertTrue(xl.host.requests.isEmpty());

        assertEquals(0, xl.run("destroy", "-f", "0").exit());
        assertEquals(DestroyDomainRequest.newBuilder().setDomain("0").setForce(true).build(), xl.host.requests.get(0));
    }

    @Test
    void destroyOfAnUnknownDomain() {
        assertEquals("destroy failed (rc=-21)\n", xl.run("destroy", "42").err());
        XlHarness.Result byName = xl.run("destroy", "nope");
        assertEquals(1, byName.exit());
        assertEquals("nope is an invalid domain identifier (rc=-6)\n", byName.err());
    }

    @Test
    void pauseAndUnpause() {
        assertEquals(0, xl.run("pause", "web").exit());
        assertEquals(0, xl.run("unpause", "3").exit());
        assertEquals(List.of(DomainRef.newBuilder().setDomain("3").build(), DomainRef.newBuilder().setDomain("3").build()),
                xl.host.requests);

        XlHarness.Result missing = xl.run("pause", "42");
        assertEquals(1, missing.exit());
        assertEquals("Domain '42' does not exist.\n", missing.err());
    }

    @Test
    void renameAndItsRefusal() {
        assertEquals(0, xl.run("rename", "web", "www").exit());
        assertEquals(RenameDomainRequest.newBuilder().setDomain("3").setNewName("www").build(), xl.host.requests.get(0));

        XlHarness.Result taken = xl.run("rename", "web", "db");
        assertEquals(1, taken.exit());
        assertEquals("Domain with name 'db' already exists.\nCan't rename domain 'web'.\n", taken.err());
    }

    @Test
    void shutdownAndRebootSayWhatTheyDo() {
        XlHarness.Result down = xl.run("shutdown", "web");
        assertEquals(0, down.exit(), down.err());
        assertEquals("Shutting down domain 3\n", down.err());

        XlHarness.Result reboot = xl.run("reboot", "5");
        assertEquals("Rebooting domain 5\n", reboot.err());

        assertEquals(List.of(shutdown(3, ShutdownKind.SHUTDOWN_KIND_POWEROFF, false, false),
                shutdown(5, ShutdownKind.SHUTDOWN_KIND_REBOOT, false, false)), xl.host.requests);
    }

    @Test
    void shutdownNeedsADomainOrAll() {
        XlHarness.Result r = xl.run("shutdown");

        assertEquals(1, r.exit());
        assertEquals("You must specify -a or a domain id.\n\n", r.err());
    }

    @Test
    void allMeansEveryDomainButDomain0() {
        XlHarness.Result r = xl.run("shutdown", "-a");

        assertEquals(0, r.exit(), r.err());
        assertEquals("Shutting down domain 3\nShutting down domain 5\n", r.err());
        assertEquals(List.of(shutdown(3, ShutdownKind.SHUTDOWN_KIND_POWEROFF, false, false),
                shutdown(5, ShutdownKind.SHUTDOWN_KIND_POWEROFF, false, false)), xl.host.requests);
    }

    @Test
    void waitUsesTheRequestsWaitFlagsAndReportsTheOutcome() {
        XlHarness.Result once = xl.run("shutdown", "-w", "db");
        assertEquals(0, once.exit(), once.err());
        assertEquals("Shutting down domain 5\nWaiting for 1 domains\nDomain 5 has been shut down, reason code 0\n",
                once.err());

        XlHarness.Result twice = xl.run("reboot", "-w", "-w", "-a");
        assertEquals(0, twice.exit(), twice.err());
        assertTrue(twice.err().startsWith("Rebooting domain 3\nRebooting domain 5\nWaiting for 2 domains\n"),
                twice.err());
        assertTrue(twice.err().contains("Domain 3 has been destroyed\n"), twice.err());
        assertTrue(twice.err().contains("Domain 5 has been destroyed\n"), twice.err());
        assertEquals(List.of(shutdown(5, ShutdownKind.SHUTDOWN_KIND_POWEROFF, true, false),
                shutdown(3, ShutdownKind.SHUTDOWN_KIND_REBOOT, true, true),
                shutdown(5, ShutdownKind.SHUTDOWN_KIND_REBOOT, true, true)), xl.host.requests);
    }

    @Test
    void shutdownOfAnUnknownDomainId() {
        XlHarness.Result r = xl.run("shutdown", "42");

        assertEquals(1, r.exit());
        assertEquals("Shutting down domain 42\nshutdown failed (rc=-21)\n", r.err());
    }
}
