package org.hvsim.dom0.blkback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.junit.jupiter.api.Test;

/** Pages mapped one by one, seen end to end; the segments handed to the image are the pages themselves. */
class GrantedPagesTest {
    /** Three pages from scattered places of one "machine memory", out of order. */
    private final MemorySegment machine = Arena.ofAuto().allocate(8 * 4096, 4096);
    private final GrantedPages pages = new GrantedPages(List.of(page(5), page(1), page(3)));

    private SegmentGuestMemory page(int mfn) {
        return new SegmentGuestMemory(machine.asSlice(mfn * 4096L, 4096), 0);
    }

    @Test
    void addressesRunAcrossPagesInOrder() {
        pages.putLong(4096 - 4, 0x1122334455667788L); // straddles page 0 and page 1
        assertEquals(0x1122334455667788L, pages.getLong(4096 - 4));
        assertEquals(0x55667788, machine.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 5 * 4096L + 4092));
        assertEquals(0x11223344, machine.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 1 * 4096L));
        pages.putShortRelease(2 * 4096 + 2, (short) 7);
        assertEquals(7, pages.getShortAcquire(2 * 4096 + 2));
        byte[] b = new byte[6000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        pages.write(3000, b, 0, b.length);
        assertArrayEquals(b, pages.readBytes(3000, b.length));
    }

    @Test
    void segmentsAreThePagesThemselves() {
        List<MemorySegment> segs = pages.segments(4000, 4096 + 200);
        assertEquals(3, segs.size());
        assertEquals(96, segs.get(0).byteSize());
        assertEquals(4096, segs.get(1).byteSize());
        assertEquals(104, segs.get(2).byteSize());
        assertEquals(machine.address() + 5 * 4096L + 4000, segs.get(0).address());
        assertEquals(machine.address() + 1 * 4096L, segs.get(1).address());
        assertEquals(machine.address() + 3 * 4096L, segs.get(2).address());
        GuestMemory other = new GuestMemory() {
            @Override public byte getByte(long a) { return 0; }
            @Override public void putByte(long a, byte v) {}
            @Override public short getShort(long a) { return 0; }
            @Override public void putShort(long a, short v) {}
            @Override public int getInt(long a) { return 0; }
            @Override public void putInt(long a, int v) {}
            @Override public long getLong(long a) { return 0; }
            @Override public void putLong(long a, long v) {}
            @Override public void read(long a, byte[] d, int o, int l) {}
            @Override public void write(long a, byte[] s, int o, int l) {}
            @Override public void read(long a, MemorySegment d, long o, long l) {}
            @Override public void write(long a, MemorySegment s, long o, long l) {}
            @Override public void fill(long a, long l, byte v) {}
            @Override public short getShortAcquire(long a) { return 0; }
            @Override public void putShortRelease(long a, short v) {}
            @Override public int getIntAcquire(long a) { return 0; }
            @Override public void putIntRelease(long a, int v) {}
            @Override public long getLongAcquire(long a) { return 0; }
            @Override public void putLongRelease(long a, long v) {}
            @Override public long getAndBitwiseOrLong(long a, long m) { return 0; }
            @Override public long getAndBitwiseAndLong(long a, long m) { return 0; }
            @Override public int compareAndExchangeInt(long a, int e, int n) { return 0; }
            @Override public boolean isAccessible(long a, long l) { return true; }
        };
        assertNull(GrantedPages.segmentsOf(other, 0, 1), "not machine memory: the caller bounces");
    }

    @Test
    void nothingOutsideThePagesIsReachable() {
        assertFalse(pages.isAccessible(3 * 4096 - 1, 2));
        assertTrue(pages.isAccessible(0, 3 * 4096));
        assertThrows(GuestMemoryFault.class, () -> pages.getByte(3 * 4096));
        assertThrows(GuestMemoryFault.class, () -> pages.getByte(-1));
        assertThrows(GuestMemoryFault.class, () -> pages.segments(4096, 2 * 4096 + 1));
        assertThrows(GuestMemoryFault.class, () -> pages.getIntAcquire(2), "atomic accesses must be aligned");
    }
}
