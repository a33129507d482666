package org.hvsim.domu.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.evtchn.EventChannelManager;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Timers#sleep} on the in-process hypervisor: set_timer_op, VIRQ_TIMER and SCHEDOP_block. */
class TimersOnHostTest {
    private static final long SLEEP_NS = 150_000_000L;
    private static final Pattern REPORT = Pattern.compile("sleep: asked (\\d+) slept (\\d+) timer events (\\d+)\\.");

    private final KernelHost host;

    TimersOnHostTest() throws Exception {
        host = KernelHost.start(1);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void sleepBlocksUntilTheDeadlineThroughOtherEvents() throws Exception {
        Domain d = host.bootTestKernel(SleepProbeKernel.class, Long.toString(SLEEP_NS), 8);
        GuestConsole console = host.console(d);
        console.await("sleep: going to sleep", 10_000);
        TestHost.await(() -> d.vcpu(0).runstate().state() == VcpuOp.RUNSTATE_BLOCKED, 10_000, "the sleep to block");

        long schedOps = host.host().hv().hypercalls().calls(HypercallNr.SCHED_OP);
        // Console events end the guest's SCHEDOP_block early; the sleep must go back to sleep.
        EventChannelManager evtchn = host.host().hv().evtchn();
        int guestPort = StartInfo.read(d.hypervisorView(), Page.addressOf(TestHost.START_INFO_PFN)).consoleEvtchn();
        int dom0Port = evtchn.bindInterdomain(host.host().dom0(), d.domid(), guestPort);
        for (int i = 0; i < 5 && !d.isShutdown(); i++) {
            assertEquals(0, evtchn.send(host.host().dom0(), dom0Port));
        }

        Matcher m = REPORT.matcher(console.await("timer events", 10_000));
        assertTrue(m.find(), console.seen());
        long slept = Long.parseLong(m.group(2));
        assertTrue(slept >= SLEEP_NS, "slept " + slept + " ns of the " + SLEEP_NS + " asked");
        assertTrue(slept < SLEEP_NS + 5_000_000_000L, "woke up " + slept + " ns later");
        assertTrue(Long.parseLong(m.group(3)) >= 1, "VIRQ_TIMER fired");
        TestHost.await(d::isShutdown, 10_000, "poweroff");
        assertEquals(ShutdownReason.POWEROFF.code(), d.shutdownReason());
        assertTrue(d.vcpu(0).runstate().blocked() > 0, "the sleep blocked");
        long blocks = host.host().hv().hypercalls().calls(HypercallNr.SCHED_OP) - schedOps;
        assertTrue(blocks <= 10, "one block per wake-up (5 events, the timer, the shutdown), not a spin: " + blocks);
    }
}
