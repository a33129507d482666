package org.hvsim.domu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.domu.testing.KernelHost;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kernel booted from its jar on an in-process hypervisor: banner, command line, app choice, idling. */
class MiniOsBootTest {
    private final KernelHost host;

    MiniOsBootTest() throws Exception {
        host = KernelHost.start(1);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void bootsPrintsTheBannerAndRunsHello() throws Exception {
        Domain d = host.boot("app=hello", 8, 1);
        String out = host.console(d).await("powering off", 10_000);
        TestHost.await(d::isShutdown, 10_000, "shutdown");
        assertTrue(out.startsWith("hvsim minios: booting on 1 vCPU, 8 MiB, command line \"app=hello\"\n"), out);
        assertTrue(out.contains("minios: Xen 4.19, start_info gfn 1, shared_info gfn 2048, console gfn 3 port "), out);
        assertTrue(out.contains("Hello, world!\n"), out);
        assertTrue(out.contains("hello: from vCPU 0 of 1, "), out);
        assertTrue(out.contains(" ms after boot, on Xen 4.19\n"), out);
        assertEquals(ShutdownReason.POWEROFF.code(), d.shutdownReason());
    }

    @Test
    void withoutAnAppTheKernelIdlesBlocked() throws Exception {
        Domain d = host.boot("", 8, 1);
        host.console(d).await("minios: running app idle", 10_000);
        assertIdles(d, 0);
    }

    @Test
    void theIdleAppBlocksEveryVcpu() throws Exception {
        Domain d = host.boot("app=idle", 8, 2);
        String out = host.console(d).await("minios: running app idle", 10_000);
        assertTrue(out.startsWith("hvsim minios: booting on 2 vCPUs, 8 MiB"), out);
        assertIdles(d, 0);
        assertIdles(d, 1);
    }

    private static void assertIdles(Domain d, int vcpu) {
        TestHost.await(() -> d.vcpu(vcpu).runstate().state() == VcpuOp.RUNSTATE_BLOCKED, 10_000, "vCPU to block");
        long cpu = d.vcpu(vcpu).runstate().running();
        long blocked = d.vcpu(vcpu).runstate().blocked();
        TestHost.await(() -> d.vcpu(vcpu).runstate().blocked() - blocked > 100_000_000L, 10_000, "100 ms blocked");
        long used = d.vcpu(vcpu).runstate().running() - cpu;
        assertTrue(used < 5_000_000L, "an idle vCPU uses (almost) no CPU: " + used + " ns in 100 ms");
        assertFalse(d.isShutdown());
    }

    @Test
    void aSecondaryVcpuWaitsBlockedForTheAppAndAnIpiWakesIt() throws Exception {
        // 150 unknown parameters: vCPU 0's warnings about them fill the console ring before it has
        // published the app, so it stalls there until the test drains the console.
        StringBuilder cmdline = new StringBuilder("app=cpuburn interval_ms=100");
        for (int i = 0; i < 150; i++) {
            cmdline.append(" p").append(i).append("=x");
        }
        Domain d = host.boot(cmdline.toString(), 8, 2);
        TestHost.await(() -> d.vcpu(0).runstate().state() == VcpuOp.RUNSTATE_BLOCKED
                && d.vcpu(1).runstate().state() == VcpuOp.RUNSTATE_BLOCKED, 10_000,
                "vCPU 0 to wait on the full ring and vCPU 1 to wait for the app");
        assertFalse(host.console(d).seen().contains("running app"));
        String out = host.console(d).await("cpuburn: vCPU 1: ", 10_000);
        assertTrue(out.contains("minios: app cpuburn ignores parameter p149=x\n"), out);
    }

    @Test
    void anUnusableStartInfoCrashesTheDomainWithTheReasonInTheHypervisorLog() throws Exception {
        Domain d = host.build("app=hello", 8, 1);
        d.hypervisorView().putLong(Page.addressOf(TestHost.START_INFO_PFN) + StartInfo.CONSOLE_MFN, 99_999);
        assertEquals(0, d.unpauseByController());
        TestHost.await(d::isShutdown, 10_000, "the crash");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
        String dmesg = host.host().dmesg();
        assertTrue(dmesg.contains("Domain " + d.domid() + " crashed: d" + d.domid() + "v0: "
                + "org.hvsim.domu.kernel.KernelPanic: minios: bad start_info at 0x1000: "
                + "console.mfn frame 0x1869f is outside RAM (nr_pages 2048)"), dmesg);
        assertEquals("", host.console(d).drain());
    }

    @Test
    void anUnknownAppIsAnErrorAndACrash() throws Exception {
        Domain d = host.boot("app=nosuchapp", 8, 1);
        String out = host.console(d).await(
                "minios: unknown app \"nosuchapp\"; this kernel has idle, hello, cpuburn, crash, echo, flood", 10_000);
        TestHost.await(d::isShutdown, 10_000, "shutdown");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
        assertFalse(out.contains("running app"), out);
    }

    @Test
    void aBadCommandLineIsAnErrorAndACrash() throws Exception {
        Domain d = host.boot("app=hello greeting=\"unterminated", 8, 1);
        host.console(d).await("minios: bad command line: column 20: unterminated quote", 10_000);
        TestHost.await(d::isShutdown, 10_000, "shutdown");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
    }

    @Test
    void aBadParameterValueIsAnErrorAndACrash() throws Exception {
        Domain d = host.boot("app=flood lines=lots", 8, 1);
        host.console(d).await("minios: bad command line: lines=lots is not a decimal number", 10_000);
        TestHost.await(d::isShutdown, 10_000, "shutdown");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
    }

    @Test
    void unknownParametersAreReportedAndIgnored() throws Exception {
        Domain d = host.boot("app=hello colour=\"dark red\"", 8, 1);
        String out = host.console(d).await("powering off", 10_000);
        assertTrue(out.contains("minios: app hello ignores parameter colour=dark red\n"), out);
        TestHost.await(d::isShutdown, 10_000, "shutdown");
        assertEquals(ShutdownReason.POWEROFF.code(), d.shutdownReason());
    }
}
