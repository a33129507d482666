package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DomainGuestMemoryTest {
    private static final int PAGES = 4;
    private static final long SIZE = PAGES * (long) Page.SIZE;

    private final TestMachine m = new TestMachine(64, 2);
    private final DomainMemory d = m.domain(1, false, 16, 16).memory();
    private final AtomicInteger hookCalls = new AtomicInteger();
    private final DomainGuestMemory mem;

    DomainGuestMemoryTest() {
        // Populated backwards: consecutive gpfns get descending, so non-contiguous, MFNs.
        for (int gpfn = PAGES - 1; gpfn >= 0; gpfn--) {
            assertTrue(d.populatePhysmap(gpfn, 0) >= 0);
        }
        assertEquals(d.lookup(1) - 1, d.lookup(2));
        mem = new DomainGuestMemory(d, hookCalls::incrementAndGet);
    }

    @AfterEach
    void close() {
        m.close();
    }

    private byte machineByte(long gpa) {
        return m.machine.segment().get(ValueLayout.JAVA_BYTE, (d.lookup(gpa >>> Page.SHIFT) << Page.SHIFT) + (gpa & Page.MASK));
    }

    @Test
    void scalarsCrossingAPageLandInBothFramesLittleEndian() {
        long a = Page.SIZE - 3;
        mem.putLong(a, 0x0807060504030201L);
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, machineByte(a + i), "byte " + i);
        }
        assertEquals(0x0807060504030201L, mem.getLong(a));
        assertEquals(0x04030201, mem.getInt(a));
        assertEquals(0x05040302, mem.getInt(a + 1));
        assertEquals((short) 0x0403, mem.getShort(a + 2));
        mem.putInt(2L * Page.SIZE - 1, 0xA1B2C3D4);
        assertEquals((byte) 0xD4, machineByte(2L * Page.SIZE - 1));
        assertEquals((byte) 0xC3, machineByte(2L * Page.SIZE));
        mem.putShort(3L * Page.SIZE - 1, (short) 0x1122);
        assertEquals(0x1122, mem.getUnsignedShort(3L * Page.SIZE - 1));
        mem.putByte(SIZE - 1, (byte) -5);
        assertEquals(-5, mem.getByte(SIZE - 1));
    }

    @Test
    void bulkCopiesSpanSeveralNonContiguousPages() {
        byte[] data = new byte[3 * Page.SIZE + 100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        long at = 50;
        mem.write(at, data);
        for (int i = 0; i < data.length; i += 997) {
            assertEquals(data[i], machineByte(at + i));
        }
        assertArrayEquals(data, mem.readBytes(at, data.length));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(data.length + 16);
            mem.read(at, seg, 16, data.length);
            assertArrayEquals(data, seg.asSlice(16).toArray(ValueLayout.JAVA_BYTE));
            seg.fill((byte) 0x33);
            mem.write(Page.SIZE - 1, seg, 0, 2L * Page.SIZE);
            assertEquals(0x33, mem.getByte(3L * Page.SIZE - 2));
        }
        mem.fill(10, SIZE - 20, (byte) 0x44);
        assertEquals(0x44, machineByte(10));
        assertEquals(0x44, machineByte(SIZE - 11));
        assertEquals(0, mem.getByte(SIZE - 10));
    }

    @Test
    void unpopulatedAndOutOfRangeAddressesFault() {
        GuestMemoryFault f = assertThrows(GuestMemoryFault.class, () -> mem.getInt(SIZE));
        assertEquals(SIZE, f.address());
        assertThrows(GuestMemoryFault.class, () -> mem.getByte(-1));
        assertThrows(GuestMemoryFault.class, () -> mem.putLong(1L << 40, 1));
        assertThrows(GuestMemoryFault.class, () -> mem.getLong(Long.MIN_VALUE));
        assertThrows(GuestMemoryFault.class, () -> mem.readBytes(SIZE - 10, 20));
        assertThrows(GuestMemoryFault.class, () -> mem.fill(0, -1, (byte) 0));
        assertThrows(GuestMemoryFault.class, () -> mem.fill(Long.MAX_VALUE - 2, 10, (byte) 0));
        mem.putInt(SIZE - 8, 0x55555555);
        assertThrows(GuestMemoryFault.class, () -> mem.putLong(SIZE - 4, -1L));
        assertEquals(0x55555555, mem.getInt(SIZE - 8), "a faulting split store writes nothing");
        assertEquals(0, mem.getInt(SIZE - 4));
        assertEquals(0, d.decreaseReservation(2, 0));
        assertThrows(GuestMemoryFault.class, () -> mem.getByte(2L * Page.SIZE + 5), "a ballooned-out page faults");
    }

    @Test
    void atomicsRequireNaturalAlignment() {
        long a = 2L * Page.SIZE + 64;
        mem.putLongRelease(a, 0b1010);
        assertEquals(0b1010, mem.getAndBitwiseOrLong(a, 0b0101));
        assertEquals(0b1111, mem.getAndBitwiseAndLong(a, 0b0110));
        assertEquals(0b0110, mem.getLongAcquire(a));
        assertEquals(0, mem.compareAndExchangeInt(a + 8, 0, 9));
        assertEquals(9, mem.compareAndExchangeInt(a + 8, 0, 10));
        assertEquals(9, mem.getIntAcquire(a + 8));
        mem.putIntRelease(a + 12, 3);
        mem.putShortRelease(a + 16, (short) 4);
        assertEquals(4, mem.getShortAcquire(a + 16));
        assertEquals(3, mem.getInt(a + 12));
        assertThrows(GuestMemoryFault.class, () -> mem.getLongAcquire(a + 4));
        assertThrows(GuestMemoryFault.class, () -> mem.compareAndExchangeInt(a + 2, 0, 1));
        assertThrows(GuestMemoryFault.class, () -> mem.putShortRelease(a + 1, (short) 0));
        assertThrows(GuestMemoryFault.class, () -> mem.getAndBitwiseOrLong(SIZE, 1));
    }

    @Test
    void theHookRunsOnceAtTheStartOfEveryAccess() {
        mem.getLong(Page.SIZE - 4);
        assertEquals(1, hookCalls.get());
        mem.write(10, new byte[3 * Page.SIZE]);
        assertEquals(2, hookCalls.get());
        assertThrows(GuestMemoryFault.class, () -> mem.getInt(SIZE));
        assertEquals(3, hookCalls.get());
        assertTrue(mem.isAccessible(0, SIZE));
        assertEquals(3, hookCalls.get(), "isAccessible is a query, not an access");
    }

    @Test
    void accessibilityFollowsThePopulatedPages() {
        assertTrue(mem.isAccessible(0, SIZE));
        assertTrue(mem.isAccessible(SIZE, 0));
        assertFalse(mem.isAccessible(SIZE - 1, 2));
        assertFalse(mem.isAccessible(-1, 1));
        assertFalse(mem.isAccessible(0, -1));
        assertFalse(mem.isAccessible(Long.MAX_VALUE, 2));
        d.decreaseReservation(1, 0);
        assertFalse(mem.isAccessible(0, Page.SIZE + 1));
        assertTrue(mem.isAccessible(0, Page.SIZE));
    }
}
