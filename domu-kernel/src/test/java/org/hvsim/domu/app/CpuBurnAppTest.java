package org.hvsim.domu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code app=cpuburn}: every online vCPU burns CPU and reports progress. */
class CpuBurnAppTest {
    private KernelHost host;

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void twoVcpusOnOnePcpuBothBurnAndReport() throws Exception {
        host = KernelHost.start(1);
        Domain d = host.boot("app=cpuburn interval_ms=200", 8, 2);
        GuestConsole console = host.console(d);
        String out = console.await("cpuburn: burning on every vCPU, progress every 200.000 ms", 10_000);
        assertTrue(out.startsWith("hvsim minios: booting on 2 vCPUs"), out);
        console.await("cpuburn: vCPU 0: ", 10_000);
        console.await("cpuburn: vCPU 1: ", 10_000);
        TestHost.await(() -> d.vcpu(0).runstate().running() > 100_000_000L
                && d.vcpu(1).runstate().running() > 100_000_000L, 10_000, "both vCPUs to accumulate 100 ms of CPU");
        assertFalse(d.isShutdown());
    }

    @Test
    void secondariesOnlineAtUnpauseMayRunBeforeVcpu0() throws Exception {
        // With two pCPUs, vCPU 1 often starts before vCPU 0 has loaded the kernel; it must wait, not crash.
        host = KernelHost.start(2);
        for (int i = 0; i < 10; i++) {
            Domain d = host.boot("app=hello", 8, 2);
            TestHost.await(d::isShutdown, 10_000, "hello on 2 vCPUs to finish");
            assertEquals(org.hvsim.hv.abi.ShutdownReason.POWEROFF.code(), d.shutdownReason(), "run " + i + " crashed");
            d.kill();
        }
    }

    @Test
    void aVcpuBroughtUpLaterJoinsInOnItsOwnPcpu() throws Exception {
        host = KernelHost.start(2);
        Domain d = host.build("app=cpuburn interval_ms=100", 8, 2, 1);
        assertEquals(0, d.unpauseByController());
        GuestConsole console = host.console(d);
        console.await("cpuburn: vCPU 0: ", 10_000);
        long before = d.vcpu(1).runstate().running();
        assertEquals(0, before, "vCPU 1 has not come up yet");
        KernelHost.bringUp(d, 1);
        String out = console.await("cpuburn: vCPU 1: ", 10_000);
        assertTrue(out.startsWith("hvsim minios: booting on 1 vCPU"), out);
        TestHost.await(() -> d.vcpu(0).runstate().running() > 200_000_000L
                && d.vcpu(1).runstate().running() > 200_000_000L, 10_000, "both vCPUs to accumulate 200 ms of CPU");
    }
}
