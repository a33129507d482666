package org.hvsim.dom0.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.hvsim.dom0.privcmd.PrivcmdClosedException;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.hv.testing.TestKernel;
import org.hvsim.hv.testing.TestKernels;
import org.hvsim.proto.privcmd.VcpuRunstate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dom0's runstate inspector over an in-process hypervisor's own answer. */
class RunstateInspectorTest {
    private final InProcessDom0 dom0;
    private final RunstateInspector inspector;

    RunstateInspectorTest() throws Exception {
        dom0 = InProcessDom0.start(1, 128);
        inspector = dom0.platform().runstateInspector();
    }

    @AfterEach
    void close() throws Exception {
        dom0.close();
    }

    @Test
    void aGuestsVcpusAreReportedInOrderWithTheirStates() throws Exception {
        Domain d = dom0.host().boot(TestKernels.jarOf(dom0.host().dir(), TestKernel.class), "idle", 4, 2);
        TestHost.await(() -> inspector.runstates(d.domid()).vcpu(0).orElseThrow().getState() == VcpuOp.RUNSTATE_BLOCKED,
                10_000, "vCPU 0 of the idle guest to block");
        RunstateInspector.Snapshot s = inspector.runstates(d.domid());
        assertEquals(2, s.vcpus().size());
        VcpuRunstate v0 = s.vcpu(0).orElseThrow();
        VcpuRunstate v1 = s.vcpu(1).orElseThrow();
        assertEquals(VcpuOp.RUNSTATE_OFFLINE, v1.getState(), "vCPU 1 was never brought up");
        assertTrue(v0.getStateEntryTime() <= s.now());
        long age0 = v0.getRunningNs() + v0.getRunnableNs() + v0.getBlockedNs() + v0.getOfflineNs();
        long age1 = v1.getRunningNs() + v1.getRunnableNs() + v1.getBlockedNs() + v1.getOfflineNs();
        assertEquals(age0, age1, 5_000_000, "two vCPUs created together are as old as each other");
        assertTrue(s.vcpu(2).isEmpty());
    }

    @Test
    void anUnknownDomainIsEsrch() {
        XenError e = assertThrows(XenError.class, () -> inspector.runstates(4242));
        assertEquals(Errno.ESRCH, e.errno());
        assertTrue(e.getMessage().contains("d4242"), e.getMessage());
    }

    @Test
    void aClosedChannelIsReportedAsSuch() {
        PrivcmdClosedException closed = new PrivcmdClosedException("the hypervisor went away");
        RunstateInspector broken = new RunstateInspector(domid -> CompletableFuture.failedFuture(closed));
        assertSame(closed, assertThrows(PrivcmdClosedException.class, () -> broken.runstates(0)));
    }
}
