package org.hvsim.hv.boot;

import static org.hvsim.hv.abi.Errno.ESRCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.privcmd.Dom0Inspection;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.hv.testing.TestKernel;
import org.hvsim.hv.testing.TestKernels;
import org.hvsim.proto.privcmd.VcpuRunstate;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;
import org.hvsim.proto.privcmd.VcpuRunstateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dom0's runstate queries (the privcmd answer, as the server gives it) against a real in-process hypervisor. */
class Dom0RunstateInspectionTest {
    private static final long MS = 1_000_000;

    private final TestHost host;
    private final Dom0Inspection inspection;

    Dom0RunstateInspectionTest() throws Exception {
        host = TestHost.start(1, 128);
        inspection = Dom0HostInspection.of(host.hv());
    }

    @AfterEach
    void close() throws Exception {
        try {
            host.destroyGuests();
        } finally {
            host.close();
        }
    }

    private VcpuRunstateResult query(long id, int domid) {
        return inspection.queryRunstate(VcpuRunstateQuery.newBuilder().setId(id).setDomid(domid).build());
    }

    @Test
    void aBlockedAndARunningVcpuAreToldApartAndTheirTimesAddUpToTheirAge() throws Exception {
        Path kernel = TestKernels.jarOf(host.dir(), TestKernel.class);
        long bornAfter = host.hv().clock().now();
        Domain idle = host.boot(kernel, "idle", 4, 1);
        Domain spin = host.boot(kernel, "spin", 4, 2);    // vCPU 1 is never brought up
        long bornBefore = host.hv().clock().now();
        TestHost.await(() -> {
            VcpuRunstate i = query(1, idle.domid()).getVcpus(0);
            VcpuRunstate s = query(2, spin.domid()).getVcpus(0);
            return i.getState() == VcpuOp.RUNSTATE_BLOCKED && i.getBlockedNs() > 50 * MS
                    && s.getState() == VcpuOp.RUNSTATE_RUNNING && s.getRunningNs() > 50 * MS;
        }, 10_000, "the idle guest to block and the spinner to run, 50 ms each");

        VcpuRunstateResult i = query(7, idle.domid());
        assertEquals(7, i.getId());
        assertEquals(0, i.getError());
        assertEquals(1, i.getVcpusCount());
        VcpuRunstate iv = i.getVcpus(0);
        assertEquals(0, iv.getVcpu());
        assertEquals(VcpuOp.RUNSTATE_BLOCKED, iv.getState());
        assertTrue(iv.getStateEntryTime() <= i.getNow());
        assertTrue(iv.getRunningNs() < iv.getBlockedNs(), "idle ran less than it slept: " + iv);
        assertAddsUpToAge(iv, i.getNow(), bornAfter, bornBefore);

        VcpuRunstateResult s = query(8, spin.domid());
        assertEquals(List.of(0, 1), s.getVcpusList().stream().map(VcpuRunstate::getVcpu).toList());
        VcpuRunstate sv = s.getVcpus(0);
        assertEquals(VcpuOp.RUNSTATE_RUNNING, sv.getState());
        assertEquals(0, sv.getBlockedNs(), "a spinner never blocks");
        assertTrue(sv.getRunningNs() > 50 * MS);
        assertAddsUpToAge(sv, s.getNow(), bornAfter, bornBefore);
        VcpuRunstate down = s.getVcpus(1);
        assertEquals(VcpuOp.RUNSTATE_OFFLINE, down.getState());
        assertEquals(0, down.getRunningNs() + down.getRunnableNs() + down.getBlockedNs());
        assertAddsUpToAge(down, s.getNow(), bornAfter, bornBefore);
    }

    @Test
    void timesOnlyGrowBetweenSnapshots() throws Exception {
        Domain spin = host.boot(TestKernels.jarOf(host.dir(), TestKernel.class), "spin", 4, 1);
        VcpuRunstate first = query(1, spin.domid()).getVcpus(0);
        TestHost.await(() -> query(2, spin.domid()).getVcpus(0).getRunningNs() > first.getRunningNs() + 20 * MS,
                10_000, "the spinner to run 20 ms more");
        VcpuRunstate later = query(3, spin.domid()).getVcpus(0);
        assertTrue(later.getRunnableNs() >= first.getRunnableNs());
        assertTrue(later.getBlockedNs() >= first.getBlockedNs());
        assertTrue(later.getOfflineNs() >= first.getOfflineNs());
    }

    @Test
    void dom0sVcpusAreTheDom0ProcesssThreadsAndShowAsRunning() {
        VcpuRunstateResult r = query(1, DomId.DOM0);
        assertEquals(0, r.getError());
        assertEquals(host.dom0().maxVcpus(), r.getVcpusCount());
        r.getVcpusList().forEach(v -> assertEquals(VcpuOp.RUNSTATE_RUNNING, v.getState()));
    }

    @Test
    void anUnknownOrReservedDomainIsEsrch() {
        for (int domid : new int[] {42, DomId.SELF, DomId.XEN, DomId.IO, DomId.INVALID, DomId.IDLE, -1, Integer.MIN_VALUE}) {
            VcpuRunstateResult r = query(9, domid);
            assertEquals(9, r.getId());
            assertEquals(-ESRCH, r.getError(), "domid " + Integer.toUnsignedString(domid));
            assertEquals(0, r.getVcpusCount());
        }
    }

    @Test
    void withoutRunstatesTheAnswerIsEnosys() {
        VcpuRunstateResult r = Dom0Inspection.NONE.queryRunstate(VcpuRunstateQuery.newBuilder().setId(3).build());
        assertEquals(3, r.getId());
        assertEquals(-org.hvsim.hv.abi.Errno.ENOSYS, r.getError());
    }

    /** The four times add up to the time from the vCPU's creation (between the two bounds) to the snapshot. */
    private static void assertAddsUpToAge(VcpuRunstate v, long now, long bornAfter, long bornBefore) {
        long sum = v.getRunningNs() + v.getRunnableNs() + v.getBlockedNs() + v.getOfflineNs();
        assertTrue(sum <= now - bornAfter && sum >= now - bornBefore,
                "times add up to " + sum + " ns; the vCPU is " + (now - bornBefore) + ".." + (now - bornAfter)
                        + " ns old: " + v);
    }
}
