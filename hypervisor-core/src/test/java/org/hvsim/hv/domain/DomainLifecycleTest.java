package org.hvsim.hv.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.hv.testing.TestKernel;
import org.hvsim.hv.testing.TestKernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Domains booted on a real in-process hypervisor: kernels load, run, shut down, crash and die. */
class DomainLifecycleTest {
    private final TestHost host;

    DomainLifecycleTest() throws Exception {
        host = TestHost.start(1, 256);
    }

    @AfterEach
    void close() throws Exception {
        try {
            host.destroyGuests();
            assertEquals(List.of(), host.invariants());
        } finally {
            host.close();
        }
    }

    private Path kernelJar;

    /** The test kernel's jar, written once: rewriting a jar under a loaded kernel would pull it from under it. */
    private Path kernel() throws Exception {
        if (kernelJar == null) {
            kernelJar = TestKernels.jarOf(host.dir(), TestKernel.class);
        }
        return kernelJar;
    }

    @Test
    void kernelBootsPrintsAndPowersOff() throws Exception {
        Domain d = host.boot(kernel(), "dmesg", 4, 1);
        TestHost.await(d::isShutdown, 10_000, "shutdown");
        assertEquals(ShutdownReason.POWEROFF.code(), d.shutdownReason());
        assertTrue(host.dmesg().contains("(d" + d.domid() + ") hello via console_io: dmesg"), host.dmesg());
        int flags = d.infoFlags();
        assertTrue((flags & Domctl.DOMINF_SHUTDOWN) != 0);
        assertEquals(ShutdownReason.POWEROFF.code(), (flags >>> Domctl.DOMINF_SHUTDOWNSHIFT) & 0xff);
        assertEquals(4L << 8, d.memory().totPages());
    }

    @Test
    void theLastVcpuGoingDownPowersTheDomainOffAndStaysUp() throws Exception {
        Domain d = host.boot(kernel(), "down-self", 4, 1);
        TestHost.await(d::isShutdown, 10_000, "shutdown");
        assertEquals(ShutdownReason.POWEROFF.code(), d.shutdownReason());
        assertTrue(d.vcpu(0).isUp(), "Xen leaves the last vCPU up: the shutdown pauses it");
        assertEquals(1, d.onlineVcpus());
    }

    @Test
    void shutdownReasonsAreReported() throws Exception {
        Domain d = host.boot(kernel(), "reason=" + ShutdownReason.REBOOT.code(), 4, 1);
        TestHost.await(d::isShutdown, 10_000, "shutdown");
        assertEquals(ShutdownReason.REBOOT.code(), d.shutdownReason());
    }

    @Test
    void faultingKernelCrashesItsDomainOnly() throws Exception {
        Domain bystander = host.boot(kernel(), "spin", 4, 1);
        Domain d = host.boot(kernel(), "crash", 4, 1);
        TestHost.await(d::isShutdown, 10_000, "crash");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
        assertTrue(host.dmesg().contains("Domain " + d.domid() + " crashed"), host.dmesg());
        long before = bystander.cpuTime();
        TestHost.await(() -> bystander.cpuTime() > before + 5_000_000, 10_000, "the other domain to keep running");
        assertFalse(bystander.isShutdown());
    }

    @Test
    void kernelThatReturnsHasCrashed() throws Exception {
        Domain d = host.boot(kernel(), "return", 4, 1);
        TestHost.await(d::isShutdown, 10_000, "crash");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
    }

    @Test
    void aKernelJarThatIsNotAKernelCrashesTheDomainWithAReason() throws Exception {
        Path notAKernel = host.dir().resolve("nothing.jar");
        java.nio.file.Files.write(notAKernel, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Domain d = host.boot(notAKernel, "", 4, 1);
        TestHost.await(d::isShutdown, 10_000, "crash");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
        assertTrue(host.dmesg().contains("not a hvsim guest kernel"), host.dmesg());
    }

    @Test
    void spinnersShareThePcpuAndPauseStopsOne() throws Exception {
        Path spin = kernel();
        Domain a = host.boot(spin, "spin", 4, 1);
        Domain b = host.boot(spin, "spin", 4, 1);
        TestHost.await(() -> a.cpuTime() > 50_000_000 && b.cpuTime() > 50_000_000, 20_000, "both spinners to run");
        assertEquals(0, a.pauseByController());
        assertTrue((a.infoFlags() & Domctl.DOMINF_PAUSED) != 0);
        long frozen = a.cpuTime();
        long counter = a.hypervisorView().getLong(Page.addressOf(9));
        long bBefore = b.cpuTime();
        TestHost.await(() -> b.cpuTime() > bBefore + 50_000_000, 10_000, "b to run alone");
        assertEquals(frozen, a.cpuTime(), "a paused domain gets no CPU time");
        assertEquals(counter, a.hypervisorView().getLong(Page.addressOf(9)));
        assertEquals(VcpuOp.RUNSTATE_OFFLINE, a.vcpu(0).runstate().state());
        assertEquals(0, a.unpauseByController());
        TestHost.await(() -> a.cpuTime() > frozen + 20_000_000, 10_000, "a to run again");
    }

    @Test
    void timerEventsWakeABlockedVcpu() throws Exception {
        Domain d = host.boot(kernel(), "ticks=20", 4, 1);
        TestHost.await(d::isShutdown, 10_000, "20 timer ticks then shutdown");
        assertEquals(ShutdownReason.POWEROFF.code(), d.shutdownReason());
        assertEquals(20, d.hypervisorView().getLong(Page.addressOf(9)));
        assertTrue(d.vcpu(0).runstate().blocked() > 0, "it blocked between ticks");
    }

    @Test
    void destroyingARunningDomainReapsItAndFreesItsMemory() throws Exception {
        long free = host.hv().memory().allocator().freeFrames();
        Domain d = host.boot(kernel(), "spin", 8, 1);
        TestHost.await(() -> d.cpuTime() > 10_000_000, 10_000, "spinner to run");
        assertEquals(0, d.kill());
        TestHost.await(() -> host.hv().domains().find(d.domid()) == null, 10_000, "reaping");
        assertEquals(DomainState.DEAD, d.state());
        assertEquals(free, host.hv().memory().allocator().freeFrames());
        assertEquals(List.of(), host.invariants());
    }

    @Test
    void domainIdsIncreaseAcrossDestroys() throws Exception {
        Path hello = kernel();
        Domain first = host.build(hello, "hello", 4, 1);
        first.kill();
        TestHost.await(() -> host.hv().domains().find(first.domid()) == null, 10_000, "reaping");
        Domain second = host.build(hello, "hello", 4, 1);
        assertEquals(first.domid() + 1, second.domid());
    }
}
