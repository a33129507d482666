package org.hvsim.domu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.domu.console.ConsoleDriver;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.hv.abi.ConsoleInterface;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.Vcpu;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Console flow control with {@code app=flood}: far more output than the 2 KiB ring, drained slowly (the
 * test drains only after the guest has sat blocked on a full ring for a while). The guest must wait for
 * dom0 blocked, not spinning, and lose nothing.
 */
class FloodAppTest {
    private static final long LINES = 150;
    /** How long the test leaves the guest waiting on a full ring before each drain. */
    private static final long HOLD_NS = 50_000_000L;
    /** Polls a waiting guest makes in one hold: one per drain timeout, with room for late timers. */
    private static final long MAX_POLLS_PER_HOLD = 2 * (HOLD_NS / ConsoleDriver.DRAIN_WAIT_NS) + 4;

    private final KernelHost host;

    FloodAppTest() throws Exception {
        host = KernelHost.start(1);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void aSlowConsoleLosesNothingAndTheGuestWaitsBlocked() throws Exception {
        Domain d = host.boot("app=flood lines=" + LINES, 8, 1);
        GuestConsole console = host.console(d);
        Vcpu v = d.vcpu(0);
        int holds = 0;
        while (!d.isShutdown()) {
            TestHost.await(() -> d.isShutdown() || v.runstate().state() == VcpuOp.RUNSTATE_BLOCKED, 10_000,
                    "the guest to block on a full ring");
            if (!d.isShutdown()) {
                long polls = host.host().hv().hypercalls().calls(HypercallNr.SCHED_OP);
                long blocked = v.runstate().blocked();
                TestHost.await(() -> d.isShutdown() || v.runstate().blocked() - blocked >= HOLD_NS, 10_000,
                        "the guest to wait " + HOLD_NS / 1_000_000 + " ms blocked");
                // A guest that waits polls about once per timeout; one that spun would poll thousands of times.
                long made = host.host().hv().hypercalls().calls(HypercallNr.SCHED_OP) - polls;
                assertTrue(made <= MAX_POLLS_PER_HOLD,
                        "waiting " + HOLD_NS + " ns on a full ring took " + made + " sched_op calls");
                holds++;
            }
            console.drain();
        }
        String out = console.drain();
        assertEquals(ShutdownReason.POWEROFF.code(), d.shutdownReason());

        StringBuilder expected = new StringBuilder();
        for (long i = 1; i <= LINES; i++) {
            expected.append(FloodApp.line(i, LINES)).append('\n');
        }
        expected.append("flood: done\n");
        int start = out.indexOf(FloodApp.line(1, LINES));
        assertTrue(start > 0, out);
        assertTrue(out.substring(start).startsWith(expected.toString()), "every line, once, in order:\n" + out);
        assertTrue(expected.length() > 3 * ConsoleInterface.OUT_SIZE);
        assertTrue(holds >= 3, "the ring filled up " + holds + " times");
    }
}
