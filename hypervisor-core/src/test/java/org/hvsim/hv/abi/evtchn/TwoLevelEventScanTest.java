package org.hvsim.hv.abi.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.VcpuInfo;
import org.junit.jupiter.api.Test;

/** The guest-side upcall scan over a shared_info page mapped at a non-zero guest address. */
class TwoLevelEventScanTest {
    private static final long BASE = 0x3000;
    private final SegmentGuestMemory memory = SegmentGuestMemory.allocate(0x5000);
    private final TwoLevelEventScan scan = new TwoLevelEventScan(memory, BASE);

    /** What Xen does for a port raised on vCPU {@code vcpu} (unmasked). */
    private void raise(int vcpu, int port) {
        memory.getAndBitwiseOrLong(BASE + SharedInfo.pendingWord(port), SharedInfo.bit(port));
        memory.getAndBitwiseOrLong(BASE + SharedInfo.vcpuInfo(vcpu) + VcpuInfo.EVTCHN_PENDING_SEL, 1L << (port / 64));
        memory.putByte(BASE + SharedInfo.vcpuInfo(vcpu) + VcpuInfo.EVTCHN_UPCALL_PENDING, (byte) 1);
    }

    @Test
    void scanHandsEveryPendingUnmaskedPortOverInOrderAndConsumesIt() {
        raise(0, 3);
        raise(0, 64);
        raise(0, 4095);
        raise(0, 5);
        List<Integer> seen = new ArrayList<>();
        assertEquals(4, scan.scan(0, seen::add));
        assertEquals(List.of(3, 5, 64, 4095), seen);
        for (int port : seen) {
            assertFalse(scan.isPending(port), "the guest clears PENDING of each port it handles");
        }
        assertFalse(scan.isUpcallPending(0));
        assertEquals(0, memory.getLong(BASE + SharedInfo.vcpuInfo(0) + VcpuInfo.EVTCHN_PENDING_SEL));
    }

    @Test
    void maskedPortsStayPendingAndUnhandled() {
        scan.setMask(7);
        raise(0, 7);
        raise(0, 8);
        List<Integer> seen = new ArrayList<>();
        scan.scan(0, seen::add);
        assertEquals(List.of(8), seen);
        assertTrue(scan.isPending(7));
        assertTrue(scan.isMasked(7));
        scan.clearMask(7);
        assertFalse(scan.isMasked(7));
    }

    @Test
    void onlyWordsSelectedForThisVcpuAreScanned() {
        raise(1, 70);
        List<Integer> seen = new ArrayList<>();
        assertEquals(0, scan.scan(0, seen::add));
        assertTrue(scan.isPending(70));
        assertEquals(1, scan.scan(1, seen::add));
        assertEquals(List.of(70), seen);
    }

    @Test
    void clearingUpcallPendingLeavesTheGuestsMaskByteAlone() {
        long vcpuInfo = BASE + SharedInfo.vcpuInfo(2);
        memory.putByte(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_MASK, (byte) 1);
        raise(2, 1);
        scan.scan(2, port -> { });
        assertEquals(0, memory.getByte(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_PENDING));
        assertEquals(1, memory.getByte(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_MASK));
    }

    @Test
    void anEventRaisedDuringTheHandlerIsLeftForTheNextUpcall() {
        raise(0, 9);
        List<Integer> seen = new ArrayList<>();
        scan.scan(0, port -> {
            seen.add(port);
            if (port == 9) {
                raise(0, 9);
            }
        });
        assertEquals(List.of(9), seen);
        assertTrue(scan.isUpcallPending(0));
        assertEquals(1, scan.scan(0, seen::add));
        assertEquals(List.of(9, 9), seen);
    }

    @Test
    void portsOutsideTheAbiAreTheGuestsBug() {
        assertThrows(IllegalArgumentException.class, () -> scan.setMask(4096));
        assertThrows(IllegalArgumentException.class, () -> scan.isPending(-1));
        assertThrows(IllegalArgumentException.class, () -> new TwoLevelEventScan(memory, 4));
    }
}
