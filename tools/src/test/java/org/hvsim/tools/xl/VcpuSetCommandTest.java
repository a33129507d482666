package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.List;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.proto.control.SetVcpuOnlineRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** xl vcpu-set's arguments and messages as xl_vcpu.c's, and what reaches dom0, on a 2-pCPU host. */
class VcpuSetCommandTest {
    private final XlHarness xl;

    VcpuSetCommandTest() throws IOException {
        xl = new XlHarness();
        xl.host.hostInfo = HostInfo.newBuilder().setNrCpus(2).setMaxCpuId(1).build();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(3).setName("web").setOnlineVcpus(1).setMaxVcpus(3).build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(4).setName("big").setOnlineVcpus(4).setMaxVcpus(8).build());
    }

    @AfterEach
    void close() throws InterruptedException {
        xl.close();
    }

    private static SetVcpuOnlineRequest request(int domid, int count) {
        return SetVcpuOnlineRequest.newBuilder().setDomain(Integer.toString(domid)).setCount(count).build();
    }

    @Test
    void theCountReachesDom0ForTheDomainById() {
        XlHarness.Result r = xl.run("vcpu-set", "web", "2");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out() + r.err());
        assertEquals(List.of(request(3, 2)), xl.host.requests);
    }

    @Test
    void moreVcpusThanPcpusIsOvercommittingUnlessIgnoreHost() {
        XlHarness.Result r = xl.run("vcpu-set", "web", "3");
        assertEquals(1, r.exit());
        assertEquals("You are overcommmitting! You have 2 physical CPUs and want 3 vCPUs! Aborting, use --ignore-host"
                + " to continue\n", r.err());
        assertEquals(List.of(), xl.host.requests, "nothing was asked of dom0");
        assertEquals(0, xl.run("vcpu-set", "-i", "web", "3").exit());
        assertEquals(0, xl.run("vcpu-set", "--ignore-host", "web", "3").exit());
        assertEquals(List.of(request(3, 3), request(3, 3)), xl.host.requests);
    }

    @Test
    void aDomainAlreadyAboveThePcpusMayGoDownOrStayButNotUp() {
        assertEquals(0, xl.run("vcpu-set", "big", "3").exit());
        assertEquals(0, xl.run("vcpu-set", "big", "4").exit(), "not more than it has online");
        assertEquals(1, xl.run("vcpu-set", "big", "5").exit());
        assertEquals(List.of(request(4, 3), request(4, 4)), xl.host.requests);
    }

    @Test
    void libxlsRefusalsThenXlsLine() {
        XlHarness.Result zero = xl.run("vcpu-set", "web", "0");
        assertEquals(1, zero.exit());
        assertEquals("Requested 0 VCPUs!\nlibxl_set_vcpuonline failed domid=3 max_vcpus=0, rc: -3\n", zero.err());
        XlHarness.Result four = xl.run("vcpu-set", "-i", "web", "4");
        assertEquals(1, four.exit());
        assertEquals("Requested 4 VCPUs, however maxcpus is 3!\nlibxl_set_vcpuonline failed domid=3 max_vcpus=4,"
                + " rc: -3\n", four.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "-", " ", "-1", "2147483648", "99999999999999999999999"})
    void aCountThatIsNoNumberOrAboveIntMaxIsInvalid(String count) {
        XlHarness.Result r = xl.run("vcpu-set", "web", count);
        assertEquals(1, r.exit());
        assertEquals("Error: Invalid argument.\n", r.err());
        assertEquals(List.of(), xl.host.requests);
    }

    @Test
    void theCountIsReadAsStrtoulReadsIt() {
        assertEquals(0, xl.run("vcpu-set", "web", " +2vcpus").exit());
        assertEquals(List.of(request(3, 2)), xl.host.requests);
        assertEquals(2L, VcpuSetCommand.strtoul("\t2"));
        assertEquals(-1L, VcpuSetCommand.strtoul("18446744073709551616"), "beyond 64 bits: ULONG_MAX");
        assertEquals(-1L, VcpuSetCommand.strtoul("18446744073709551615"));
        assertEquals(0L, VcpuSetCommand.strtoul("-0"));
        assertEquals(-3L, VcpuSetCommand.strtoul("-3"), "negated modulo 2^64");
        assertNull(VcpuSetCommand.strtoul("+"));
    }

    @Test
    void anUnknownDomain() {
        XlHarness.Result name = xl.run("vcpu-set", "nobody", "1");
        assertEquals(1, name.exit());
        assertEquals("nobody is an invalid domain identifier (rc=-6)\n", name.err());
        XlHarness.Result id = xl.run("vcpu-set", "-i", "9", "1");
        assertEquals(1, id.exit());
        assertEquals("Domain 9 does not exist.\n", id.err());
    }

    @Test
    void missingArgumentsAreXlsUsage() {
        XlHarness.Result r = xl.run("vcpu-set", "web");
        assertEquals(2, r.exit());
        assertEquals("'xl vcpu-set' requires at least 2 arguments.\n\n", r.err());
        assertEquals(true, r.out().startsWith("Usage: xl [-vtT] vcpu-set [option] <Domain> <vCPUs>"), r.out());
        assertEquals(true, r.out().contains("-i, --ignore-host"), r.out());
    }
}
