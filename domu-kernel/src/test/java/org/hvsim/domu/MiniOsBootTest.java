package org.hvsim.domu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelJar;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kernel booted from its jar on an in-process hypervisor: banner, command line, app choice, idling. */
class MiniOsBootTest {
    private final TestHost host;
    private final Path jar;

    MiniOsBootTest() throws Exception {
        host = TestHost.start(1, 128);
        jar = KernelJar.write(host.dir());
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

    @Test
    void bootsPrintsTheBannerAndRunsHello() throws Exception {
        Domain d = host.boot(jar, "app=hello", 8, 1);
        GuestConsole console = new GuestConsole(host, d);
        String out = console.await("powering off", 10_000);
        TestHost.await(d::isShutdown, 10_000, "shutdown");
        assertTrue(out.startsWith("hvsim minios: booting on 1 vCPU, 8 MiB, command line \"app=hello\"\n"), out);
        assertTrue(out.contains("Hello, world!\n"), out);
        assertTrue(out.contains("hello: from vCPU 0 of 1, "), out);
        assertEquals(ShutdownReason.POWEROFF.code(), d.shutdownReason());
    }

    @Test
    void withoutAnAppTheKernelIdlesBlocked() throws Exception {
        Domain d = host.boot(jar, "", 8, 1);
        new GuestConsole(host, d).await("minios: running app idle", 10_000);
        TestHost.await(() -> d.vcpu(0).runstate().state() == VcpuOp.RUNSTATE_BLOCKED, 10_000, "vCPU 0 to block");
        long cpu = d.cpuTime();
        long blocked = d.vcpu(0).runstate().blocked();
        TestHost.await(() -> d.vcpu(0).runstate().blocked() - blocked > 100_000_000L, 10_000, "100 ms blocked");
        assertTrue(d.cpuTime() - cpu < 5_000_000L, "an idle guest uses (almost) no CPU: " + (d.cpuTime() - cpu) + " ns");
        assertEquals(false, d.isShutdown());
    }
}
