package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.SetVcpuAffinityRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** xl vcpu-pin's arguments as xl_vcpu.c reads them, and what reaches dom0. */
class VcpuPinCommandTest {
    private final XlHarness xl;

    VcpuPinCommandTest() throws IOException {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(3).setName("web").build());
    }

    @AfterEach
    void close() throws InterruptedException {
        xl.close();
    }

    @Test
    void hardSoftDashAndAll() {
        assertEquals(0, xl.run("vcpu-pin", "web", "1", "0-2,^1").exit());
        assertEquals(0, xl.run("vcpu-pin", "web", "all", "-", "all").exit());
        assertEquals(SetVcpuAffinityRequest.newBuilder().setDomain("3").setVcpu(1)
                .setHard(CpuSet.newBuilder().addCpus(0).addCpus(2)).build(), xl.host.requests.get(0));
        assertEquals(SetVcpuAffinityRequest.newBuilder().setDomain("3").setVcpu(-1)
                .setSoft(CpuSet.newBuilder().setAll(true)).build(), xl.host.requests.get(1));
    }

    @Test
    void xlsOwnRefusals() {
        XlHarness.Result bad = xl.run("vcpu-pin", "web", "one", "1");
        assertEquals(1, bad.exit());
        assertEquals("Error: Invalid argument one as VCPU.\n", bad.err());
        XlHarness.Result forceAll = xl.run("vcpu-pin", "-f", "web", "all", "1");
        assertEquals(1, forceAll.exit());
        assertEquals("Error: --force and 'all' as VCPU not allowed.\n", forceAll.err());
        assertEquals(0, xl.host.requests.size(), "nothing was asked of dom0");
    }
}
