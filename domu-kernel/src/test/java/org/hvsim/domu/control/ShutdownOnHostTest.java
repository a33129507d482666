package org.hvsim.domu.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.domu.testing.KernelHost.StoreGuest;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.abi.xenstore.XenstoreDomainInterface;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code xl shutdown}/{@code xl reboot} as the guest sees them: the toolstack writes {@code control/shutdown},
 * the kernel booted with a xenstore ring acknowledges and shuts down with the matching reason.
 */
class ShutdownOnHostTest {
    private final KernelHost host;

    ShutdownOnHostTest() throws Exception {
        host = KernelHost.start(2);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    /** Boots {@code cmdline} and waits until the watcher has published its features. */
    private StoreGuest booted(String cmdline, int vcpus) throws Exception {
        StoreGuest g = host.bootWithXenstore(cmdline, 8, vcpus, x -> { });
        g.xenstored().await(x -> x.value("control/feature-reboot").isPresent(), 10_000, "the features");
        return g;
    }

    @ParameterizedTest
    @CsvSource({"poweroff, POWEROFF", "halt, POWEROFF", "reboot, REBOOT", "crash, CRASH"})
    void anIdleDomainAcknowledgesAndShutsDownWithTheReason(String request, ShutdownReason reason) throws Exception {
        StoreGuest g = booted("app=idle", 1);
        g.xenstored().write("control/shutdown", request);
        TestHost.await(g.domain()::isShutdown, 10_000, request);
        assertEquals(reason.code(), g.domain().shutdownReason());
        assertEquals("", g.xenstored().value("control/shutdown").orElseThrow());
        assertTrue(host.console(g.domain()).await("minios: shutting down (" + request + ")", 10_000).contains(
                "minios: xenstore ring gfn 2 port "));
        assertEquals(List.of(), g.xenstored().problems());
    }

    @Test
    void aBusyDomainStillHonoursAShutdownRequest() throws Exception {
        StoreGuest g = booted("app=cpuburn interval_ms=100", 2);
        host.console(g.domain()).await("cpuburn: vCPU 1:", 10_000);
        g.xenstored().write("control/shutdown", "poweroff");
        TestHost.await(g.domain()::isShutdown, 10_000, "poweroff of a burning domain");
        assertEquals(ShutdownReason.POWEROFF.code(), g.domain().shutdownReason());
    }

    @Test
    void aConflictingAcknowledgementIsRetried() throws Exception {
        StoreGuest g = booted("app=idle", 1);
        g.xenstored().failCommits(1);
        g.xenstored().write("control/shutdown", "reboot");
        TestHost.await(g.domain()::isShutdown, 10_000, "reboot");
        assertEquals(ShutdownReason.REBOOT.code(), g.domain().shutdownReason());
        List<String> log = g.xenstored().log();
        assertEquals(2, log.stream().filter(s -> s.startsWith("WRITE control/shutdown")).count(), log.toString());
    }

    @Test
    void suspendIsIgnoredByAKernelThatCannotSuspend() throws Exception {
        StoreGuest g = booted("app=idle", 1);
        GuestConsole console = host.console(g.domain());
        g.xenstored().write("control/shutdown", "suspend");
        console.await("minios: ignoring shutdown request: suspend\n", 10_000);
        assertEquals("suspend", g.xenstored().value("control/shutdown").orElseThrow());
        assertFalse(g.domain().isShutdown());
        TestHost.await(() -> g.domain().vcpu(0).runstate().state() == VcpuOp.RUNSTATE_BLOCKED, 10_000,
                "vCPU 0 back to idle");
    }

    @Test
    void aRingHandedOverInReconnectIsUsedOnceXenstoredConnectsIt() throws Exception {
        StoreGuest g = host.bootWithXenstore("app=idle", 8, 1,
                x -> x.connection(XenstoreDomainInterface.XENSTORE_RECONNECT));
        GuestConsole console = host.console(g.domain());
        console.await("minios: running app idle", 10_000);
        assertTrue(console.seen().contains("; waiting for xenstored to connect it\n"), console.seen());
        assertEquals(List.of(), g.xenstored().log(), "nothing is sent before xenstored connects the ring");
        g.xenstored().connection(XenstoreDomainInterface.XENSTORE_CONNECTED);
        g.xenstored().await(x -> x.value("control/feature-poweroff").isPresent(), 10_000, "the features");
        g.xenstored().write("control/shutdown", "poweroff");
        TestHost.await(g.domain()::isShutdown, 10_000, "poweroff");
        assertEquals(ShutdownReason.POWEROFF.code(), g.domain().shutdownReason());
    }
}
