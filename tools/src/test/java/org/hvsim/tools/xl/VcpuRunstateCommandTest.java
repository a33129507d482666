package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.RunstateState;
import org.hvsim.proto.control.VcpuInfo;
import org.hvsim.proto.control.VcpuRunstate;
import org.hvsim.tools.xl.format.VcpuRunstateFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** xl vcpu-runstate (hvsim's) against a fake dom0: the table, the domains it names, and its seconds. */
class VcpuRunstateCommandTest {
    private static final String HEADER =
            "Name                                ID  VCPU State    Running(s) Runnable(s) Blocked(s) Offline(s)\n";

    private XlHarness xl;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(0).setName("Domain-0").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(4).setName("guest").build());
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    private static VcpuInfo vcpu(int domid, String name, int vcpu, RunstateState state, long running, long runnable,
            long blocked, long offline) {
        return VcpuInfo.newBuilder().setDomid(domid).setName(name).setVcpu(vcpu)
                .setRunstate(VcpuRunstate.newBuilder().setState(state).setRunningNs(running).setRunnableNs(runnable)
                        .setBlockedNs(blocked).setOfflineNs(offline))
                .build();
    }

    @Test
    void everyVcpuInDomainAndVcpuOrderWithItsStateAndSeconds() {
        xl.host.vcpus.add(vcpu(4, "guest", 1, RunstateState.RUNSTATE_STATE_OFFLINE, 0, 0, 0, 12_345_000_000L));
        xl.host.vcpus.add(vcpu(4, "guest", 0, RunstateState.RUNSTATE_STATE_BLOCKED, 49_999_999L, 1_250_000L,
                12_250_000_000L, 50_000_000L));
        xl.host.vcpus.add(vcpu(0, "Domain-0", 0, RunstateState.RUNSTATE_STATE_RUNNING, 3_600_000_000_000L, 0, 0, 0));
        xl.host.vcpus.add(vcpu(4, "guest", 2, RunstateState.RUNSTATE_STATE_RUNNABLE, 950_000_000L, 150_000_000L, 0, 0));

        XlHarness.Result r = xl.run("vcpu-runstate");

        assertEquals(0, r.exit(), r.err());
        assertEquals(HEADER
                + "Domain-0                             0     0 running      3600.0        0.0        0.0        0.0\n"
                + "guest                                4     0 blocked         0.0        0.0       12.3        0.1\n"
                + "guest                                4     1 offline         0.0        0.0        0.0       12.3\n"
                + "guest                                4     2 runnable        1.0        0.2        0.0        0.0\n",
                r.out());
    }

    @Test
    void onlyTheNamedDomainsAndAnUnknownNameAfterTheHeader() {
        xl.host.vcpus.add(vcpu(0, "Domain-0", 0, RunstateState.RUNSTATE_STATE_RUNNING, 0, 0, 0, 0));
        xl.host.vcpus.add(vcpu(4, "guest", 0, RunstateState.RUNSTATE_STATE_BLOCKED, 0, 0, 2_000_000_000L, 0));
        String guestRow = "guest                                4     0 blocked         0.0        0.0        2.0        0.0\n";

        assertEquals(HEADER + guestRow, xl.run("vcpu-runstate", "guest").out());

        XlHarness.Result unknown = xl.run("vcpu-runstate", "guest", "nope");
        assertEquals(1, unknown.exit());
        assertEquals(HEADER + guestRow, unknown.out());
        assertEquals("nope is an invalid domain identifier (rc=-6)\n", unknown.err());

        XlHarness.Result missingId = xl.run("vcpu-runstate", "9", "guest");
        assertEquals(0, missingId.exit());
        assertEquals(HEADER + guestRow, missingId.out());
        assertEquals("Domain '9' does not exist.\n", missingId.err());
    }

    @Test
    void aVcpuWithoutARunstateShowsDashes() {
        xl.host.vcpus.add(VcpuInfo.newBuilder().setDomid(4).setName("guest").setVcpu(0).build());
        assertEquals(HEADER
                + "guest                                4     0 -                 -          -          -          -\n",
                xl.run("vcpu-runstate").out());
    }

    @Test
    void secondsAreRoundedExactlyHalfUpFromUnsignedNanoseconds() {
        assertEquals("0.0", VcpuRunstateFormat.tenths(49_999_999L));
        assertEquals("0.1", VcpuRunstateFormat.tenths(50_000_000L));
        assertEquals("1.2", VcpuRunstateFormat.tenths(1_249_999_999L));
        assertEquals("1.3", VcpuRunstateFormat.tenths(1_250_000_000L));
        assertEquals("1000000000.0", VcpuRunstateFormat.tenths(999_999_999_950_000_000L));
        assertEquals("18446744073.7", VcpuRunstateFormat.tenths(-1L), "uint64 max");
        assertEquals("7", VcpuRunstateFormat.stateName(7));
    }

    @Test
    void itIsListedInHelpAsHvsimsOwn() {
        String help = xl.run("help").out();
        assertTrue(help.contains(
                " vcpu-runstate       Show the time VCPUs spent running, runnable, blocked, offline (hvsim)\n"), help);
        assertEquals(0, xl.run("vcpu-r").exit(), "an unambiguous prefix names it");
    }
}
