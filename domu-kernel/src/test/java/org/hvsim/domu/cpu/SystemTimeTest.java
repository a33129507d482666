package org.hvsim.domu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.VcpuInfo;
import org.junit.jupiter.api.Test;

/** System time from vcpu_time_info, the way PV guests compute it. */
class SystemTimeTest {
    private final SegmentGuestMemory m = SegmentGuestMemory.allocate(VcpuInfo.SIZE);
    private final AtomicLong tsc = new AtomicLong(1_000_000);
    private final SystemTime time = new SystemTime(m, 0, tsc::get);

    @Test
    void anUnpublishedRecordLeavesTheNanosecondTsc() {
        assertEquals(1_000_000, time.now());
    }

    @Test
    void aPublishedRecordScalesTheTscSinceItsStamp() {
        m.putInt(VcpuInfo.TIME_VERSION, 2);
        m.putLong(VcpuInfo.TIME_TSC_TIMESTAMP, 400_000);
        m.putLong(VcpuInfo.TIME_SYSTEM_TIME, 5_000_000_000L);
        m.putInt(VcpuInfo.TIME_TSC_TO_SYSTEM_MUL, 1 << 30);   // 0.25 with shift 0: a 4 GHz TSC
        m.putByte(VcpuInfo.TIME_TSC_SHIFT, (byte) 0);
        assertEquals(5_000_000_000L + 150_000, time.now());
        m.putInt(VcpuInfo.TIME_TSC_TO_SYSTEM_MUL, VcpuInfo.NS_TSC_TO_SYSTEM_MUL);
        m.putByte(VcpuInfo.TIME_TSC_SHIFT, (byte) VcpuInfo.NS_TSC_SHIFT);
        assertEquals(5_000_000_000L + 600_000, time.now());
    }

    @Test
    void aRecordStuckMidUpdateFallsBackToTheTsc() {
        m.putInt(VcpuInfo.TIME_VERSION, 3);
        m.putInt(VcpuInfo.TIME_TSC_TO_SYSTEM_MUL, 1 << 30);
        assertEquals(1_000_000, time.now());
    }
}
