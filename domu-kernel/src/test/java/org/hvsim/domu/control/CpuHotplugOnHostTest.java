package org.hvsim.domu.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.domu.testing.KernelHost.StoreGuest;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code xl vcpu-set} as the guest sees it, on a real in-process hypervisor: the toolstack writes
 * {@code cpu/<N>/availability}, the kernel brings vCPUs up (initialising one that never ran) and takes them
 * down on themselves at a safe point.
 */
class CpuHotplugOnHostTest {
    private static final long TIMEOUT_MS = 10_000;

    private final KernelHost host;

    CpuHotplugOnHostTest() throws Exception {
        host = KernelHost.start(2);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    /** Boots {@code cmdline} with {@code vcpus} vCPUs of which the first {@code online} run, nodes as libxl's. */
    private StoreGuest booted(String cmdline, int vcpus, int online) throws Exception {
        StoreGuest g = host.bootWithXenstore(cmdline, 8, vcpus, online, x -> {
            for (int i = 0; i < vcpus; i++) {
                x.write(CpuAvailability.node(i), i < online ? "online" : "offline");
            }
        });
        g.xenstored().await(x -> x.watches().stream().anyMatch(w -> w.startsWith("cpu ")), TIMEOUT_MS, "the cpu watch");
        return g;
    }

    private static void awaitRunstate(Domain d, int vcpu, int state) {
        TestHost.await(() -> d.vcpu(vcpu).runstate().state() == state, TIMEOUT_MS,
                "d" + d.domid() + "v" + vcpu + " in runstate " + state);
    }

    @Test
    void vcpusThatNeverRanComeUpAndGoDownAndUpAgain() throws Exception {
        StoreGuest g = booted("app=idle", 3, 1);
        Domain d = g.domain();
        GuestConsole console = host.console(d);
        console.await("minios: running app idle", TIMEOUT_MS);
        assertFalse(d.vcpu(1).isUp());
        assertFalse(d.vcpu(2).isUp());

        g.xenstored().write(CpuAvailability.node(1), "online");
        g.xenstored().write(CpuAvailability.node(2), "online");
        console.await("minios: cpu 2 online", TIMEOUT_MS);
        assertTrue(console.seen().contains("minios: cpu 1 online"), console.seen());
        assertEquals(3, d.onlineVcpus());
        awaitRunstate(d, 2, VcpuOp.RUNSTATE_BLOCKED);   // idling in the kernel

        g.xenstored().write(CpuAvailability.node(2), "offline");
        console.await("minios: cpu 2 offline", TIMEOUT_MS);
        assertFalse(d.vcpu(2).isUp());
        awaitRunstate(d, 2, VcpuOp.RUNSTATE_OFFLINE);
        assertEquals(2, d.onlineVcpus());

        int from = console.seen().length();
        g.xenstored().write(CpuAvailability.node(2), "online");
        TestHost.await(() -> console.drain().indexOf("minios: cpu 2 online", from) >= 0, TIMEOUT_MS, "cpu 2 again");
        assertTrue(d.vcpu(2).isUp());
        awaitRunstate(d, 2, VcpuOp.RUNSTATE_BLOCKED);   // back from VCPUOP_down, idling again
        assertEquals(List.of(), g.xenstored().problems());
        assertFalse(d.isShutdown());
    }

    @Test
    void aBurningVcpuGoesDownAtItsNextSchedulingPointAndBurnsAgainWhenUp() throws Exception {
        StoreGuest g = booted("app=cpuburn interval_ms=100", 2, 2);
        Domain d = g.domain();
        GuestConsole console = host.console(d);
        console.await("cpuburn: vCPU 1:", TIMEOUT_MS);

        g.xenstored().write(CpuAvailability.node(1), "offline");
        console.await("minios: cpu 1 offline", TIMEOUT_MS);
        awaitRunstate(d, 1, VcpuOp.RUNSTATE_OFFLINE);
        long ranWhenDown = d.vcpu(1).runstate().running();

        g.xenstored().write(CpuAvailability.node(1), "online");
        console.await("minios: cpu 1 online", TIMEOUT_MS);
        TestHost.await(() -> d.vcpu(1).runstate().running() > ranWhenDown + 50_000_000L, TIMEOUT_MS,
                "vCPU 1 burning again");
        assertFalse(d.isShutdown());
    }

    @Test
    void theFirstFiringTakesDownAVcpuTheToolstackMarkedOffline() throws Exception {
        StoreGuest g = host.bootWithXenstore("app=idle", 8, 2, 2, x -> {
            x.write(CpuAvailability.node(0), "online");
            x.write(CpuAvailability.node(1), "offline");
        });
        Domain d = g.domain();
        host.console(d).await("minios: cpu 1 offline", TIMEOUT_MS);
        awaitRunstate(d, 1, VcpuOp.RUNSTATE_OFFLINE);
        assertEquals(1, d.onlineVcpus());
    }

    @Test
    void vcpu0StaysUpWhenMarkedOffline() throws Exception {
        StoreGuest g = booted("app=idle", 2, 2);
        Domain d = g.domain();
        GuestConsole console = host.console(d);
        g.xenstored().write(CpuAvailability.node(0), "offline");
        console.await("minios: CPU0 cannot go offline; ignoring cpu/0/availability = offline", TIMEOUT_MS);
        assertTrue(d.vcpu(0).isUp());
        assertEquals(2, d.onlineVcpus());
        assertFalse(d.isShutdown());
    }
}
