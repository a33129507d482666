package org.hvsim.hv.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.XenVer;
import org.hvsim.hv.abi.domctl.DomctlHeader;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.Test;

class Dom0HypercallsTest {
    private static final long[] NO_ARGS = new long[5];

    @Test
    void onlyCallsThatCannotWaitAreMarkedSo() throws Exception {
        try (TestHost host = TestHost.start(1, 64)) {
            Dom0Hypercalls calls = new Dom0Hypercalls(host.hv(), host.dom0());
            for (int op : new int[] {HypercallNr.XEN_VERSION, HypercallNr.CONSOLE_IO, HypercallNr.SYSCTL,
                    HypercallNr.EVENT_CHANNEL_OP, HypercallNr.MEMORY_OP, HypercallNr.MMU_UPDATE}) {
                assertTrue(calls.neverWaits(op, NO_ARGS), "op " + op);
            }
            for (int op : new int[] {HypercallNr.SCHED_OP, HypercallNr.VCPU_OP, HypercallNr.SET_TIMER_OP,
                    HypercallNr.MULTICALL, 12345}) {
                assertFalse(calls.neverWaits(op, NO_ARGS), "op " + op);
            }
        }
    }

    @Test
    void aDomctlWaitsOnlyWhenItPausesADomain() throws Exception {
        try (TestHost host = TestHost.start(1, 64)) {
            Dom0Hypercalls calls = new Dom0Hypercalls(host.hv(), host.dom0());
            GuestMemory m = host.dom0Memory();
            long a = Page.addressOf(16);
            new DomctlHeader(Domctl.PAUSEDOMAIN, Domctl.INTERFACE_VERSION, 1).write(m, a);
            assertFalse(calls.neverWaits(HypercallNr.DOMCTL, new long[] {a, 0, 0, 0, 0}));
            new DomctlHeader(Domctl.GETDOMAININFO, Domctl.INTERFACE_VERSION, 1).write(m, a);
            assertTrue(calls.neverWaits(HypercallNr.DOMCTL, new long[] {a, 0, 0, 0, 0}));
            // An address dom0 cannot read: the dispatcher answers -EFAULT at once, so it cannot wait either.
            assertTrue(calls.neverWaits(HypercallNr.DOMCTL, new long[] {-4096, 0, 0, 0, 0}));
        }
    }

    @Test
    void callsGoToTheDispatcherAsDom0() throws Exception {
        try (TestHost host = TestHost.start(1, 64)) {
            Dom0Hypercalls calls = new Dom0Hypercalls(host.hv(), host.dom0());
            assertEquals(host.dom0Hypercall(0, HypercallNr.XEN_VERSION, XenVer.VERSION, 0, 0, 0, 0),
                    calls.hypercall(0, HypercallNr.XEN_VERSION, new long[] {XenVer.VERSION, 0, 0, 0, 0}));
        }
    }
}
