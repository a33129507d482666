package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.proto.control.VcpuInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VcpuListCommandTest {
    private static final String HEADER =
            "Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)\n";
    private static final CpuSet ALL = CpuSet.newBuilder().setAll(true).build();

    private XlHarness xl;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        xl.host.hostInfo = HostInfo.newBuilder().setNrCpus(8).build();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(0).setName("Domain-0").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(4).setName("guest").build());
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    private static CpuSet cpus(int... cpus) {
        CpuSet.Builder set = CpuSet.newBuilder();
        for (int cpu : cpus) {
            set.addCpus(cpu);
        }
        return set.build();
    }

    @Test
    void onlineAndOfflineRowsWithAffinityRanges() {
        xl.host.vcpus.add(VcpuInfo.newBuilder().setDomid(0).setName("Domain-0").setVcpu(0).setOnline(true)
                .setRunning(true).setCpu(3).setCpuTimeNs(12_500_000_000L).setHardAffinity(ALL).setSoftAffinity(ALL)
                .build());
        xl.host.vcpus.add(VcpuInfo.newBuilder().setDomid(4).setName("guest").setVcpu(1).setOnline(false)
                .setHardAffinity(cpus(0, 1, 2, 3, 6)).setSoftAffinity(cpus()).build());
        xl.host.vcpus.add(VcpuInfo.newBuilder().setDomid(4).setName("guest").setVcpu(0).setOnline(true)
                .setBlocked(true).setCpu(1).setCpuTimeNs(49_999_999L) // xl: (float) 49999999 is 5e7, so 0.05 s, 0.1
                .setHardAffinity(cpus(0, 1, 2, 3, 4, 5, 6, 7)).setSoftAffinity(cpus(1, 3, 5, 6, 7)).build());
        xl.host.vcpus.add(VcpuInfo.newBuilder().setDomid(4).setName("guest").setVcpu(2).setOnline(true)
                .setCpu(7).setHardAffinity(CpuSet.newBuilder().setAll(true).addCpus(7)).setSoftAffinity(cpus(9))
                .build());

        XlHarness.Result r = xl.run("vcpu-list");

        assertEquals(0, r.exit(), r.err());
        assertEquals(HEADER
                + "Domain-0                             0     0    3   r--      12.5  all / all\n"
                + "guest                                4     0    1   -b-       0.1  all / 1,3,5-7\n"
                + "guest                                4     1    -   --p       0.0  0-3,6 / none\n"
                + "guest                                4     2    7   ---       0.0  0-6 / none\n", r.out());
    }

    @Test
    void onlyTheNamedDomainsAndAnUnknownNameAfterTheHeader() {
        xl.host.vcpus.add(VcpuInfo.newBuilder().setDomid(0).setName("Domain-0").setVcpu(0).setOnline(true)
                .setHardAffinity(ALL).setSoftAffinity(ALL).build());
        xl.host.vcpus.add(VcpuInfo.newBuilder().setDomid(4).setName("guest").setVcpu(0).setOnline(true)
                .setHardAffinity(ALL).setSoftAffinity(ALL).build());
        String guestRow = "guest                                4     0    0   ---       0.0  all / all\n";

        assertEquals(HEADER + guestRow, xl.run("vcpu-list", "guest").out());

        XlHarness.Result unknown = xl.run("vcpu-list", "guest", "nope");
        assertEquals(1, unknown.exit());
        assertEquals(HEADER + guestRow, unknown.out());
        assertEquals("nope is an invalid domain identifier (rc=-6)\n", unknown.err());

        XlHarness.Result missingId = xl.run("vcpu-list", "9", "guest");
        assertEquals(0, missingId.exit());
        assertEquals(HEADER + guestRow, missingId.out());
        assertEquals("Domain '9' does not exist.\n", missingId.err());
    }
}
