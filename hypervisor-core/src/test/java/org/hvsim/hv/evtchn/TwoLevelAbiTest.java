package org.hvsim.hv.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.VcpuInfo;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;
import org.junit.jupiter.api.Test;

/** Xen's side of the 2-level ABI: pending, mask, selector and upcall_pending transitions. */
class TwoLevelAbiTest {
    private final TestDomain d = new TestDomain(1, false, 4, 1023);
    private final TwoLevelEventScan guest = new TwoLevelEventScan(d.sharedInfo, 0);

    private long selector(int vcpu) {
        return d.sharedInfo.getLong(SharedInfo.vcpuInfo(vcpu) + VcpuInfo.EVTCHN_PENDING_SEL);
    }

    @Test
    void anEdgeOnAnUnmaskedPortSetsPendingSelectorAndUpcallAndKicksOnce() {
        TwoLevelAbi.setPending(d, 1, 130);
        assertTrue(TwoLevelAbi.isPending(d, 130));
        assertEquals(1L << 2, selector(1), "word 130/64 = 2");
        assertTrue(TwoLevelAbi.isUpcallPending(d, 1));
        assertEquals(1, d.kicks(1));
        assertEquals(0, d.kicks(0));
        assertEquals(1, d.pollerChecks.sum());
    }

    @Test
    void anEdgeOnAnAlreadyPendingPortIsNoEdge() {
        TwoLevelAbi.setPending(d, 0, 5);
        TwoLevelAbi.setPending(d, 0, 5);
        assertEquals(1, d.kicks(0));
        assertEquals(1, d.pollerChecks.sum(), "Xen returns before checking pollers when already pending");
    }

    @Test
    void vcpuKickHappensOnlyWhenUpcallPendingGoesFromZeroToOne() {
        TwoLevelAbi.setPending(d, 0, 1);
        TwoLevelAbi.setPending(d, 0, 2);
        TwoLevelAbi.setPending(d, 0, 70);
        assertEquals(1, d.kicks(0), "upcall_pending already 1: no further kick");
        guest.scan(0, port -> { });
        TwoLevelAbi.setPending(d, 0, 3);
        assertEquals(2, d.kicks(0), "the guest cleared upcall_pending: the next edge kicks again");
    }

    @Test
    void aSelectorBitAlreadySetMeansNoNewUpcall() {
        TwoLevelAbi.setPending(d, 0, 1);
        d.sharedInfo.putByte(SharedInfo.vcpuInfo(0) + VcpuInfo.EVTCHN_UPCALL_PENDING, (byte) 0);
        TwoLevelAbi.setPending(d, 0, 2);
        assertFalse(TwoLevelAbi.isUpcallPending(d, 0), "same word, selector bit was already set");
        assertEquals(1, d.kicks(0));
    }

    @Test
    void anEdgeOnAMaskedPortSetsOnlyPendingAndIsLostUntilUnmask() {
        guest.setMask(9);
        TwoLevelAbi.setPending(d, 0, 9);
        assertTrue(TwoLevelAbi.isPending(d, 9));
        assertEquals(0, selector(0));
        assertFalse(TwoLevelAbi.isUpcallPending(d, 0));
        assertEquals(0, d.kicks(0));
        assertEquals(1, d.pollerChecks.sum(), "pollers are woken even for a masked port");

        TwoLevelAbi.unmask(d, 0, 9);
        assertFalse(TwoLevelAbi.isMasked(d, 9));
        assertEquals(1L, selector(0));
        assertTrue(TwoLevelAbi.isUpcallPending(d, 0));
        assertEquals(1, d.kicks(0));
    }

    @Test
    void unmaskOfAPortThatWasNotMaskedRaisesNothing() {
        TwoLevelAbi.setPending(d, 0, 9);
        guest.scan(0, port -> { });
        d.sharedInfo.getAndBitwiseOrLong(SharedInfo.pendingWord(9), SharedInfo.bit(9));
        TwoLevelAbi.unmask(d, 0, 9);
        assertFalse(TwoLevelAbi.isUpcallPending(d, 0), "Xen only re-raises when it cleared a set mask bit");
    }

    @Test
    void unmaskOfAMaskedButNotPendingPortOnlyClearsTheMask() {
        guest.setMask(9);
        TwoLevelAbi.unmask(d, 2, 9);
        assertFalse(TwoLevelAbi.isMasked(d, 9));
        assertEquals(0, selector(2));
        assertEquals(0, d.kicks(2));
    }

    @Test
    void upcallPendingIsSetWithoutTouchingTheGuestsMaskByte() {
        long vcpuInfo = SharedInfo.vcpuInfo(3);
        d.sharedInfo.putByte(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_MASK, (byte) 1);
        TwoLevelAbi.setPending(d, 3, 4000);
        assertEquals(1, d.sharedInfo.getByte(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_PENDING));
        assertEquals(1, d.sharedInfo.getByte(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_MASK));
        assertEquals(1, d.kicks(3), "an upcall mask defers delivery, not the kick");
    }

    @Test
    void clearPendingClearsOnlyThatPort() {
        TwoLevelAbi.setPending(d, 0, 10);
        TwoLevelAbi.setPending(d, 0, 11);
        TwoLevelAbi.clearPending(d, 10);
        assertFalse(TwoLevelAbi.isPending(d, 10));
        assertTrue(TwoLevelAbi.isPending(d, 11));
    }
}
