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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
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

    @Test
    void pagesNextToEachOtherInMachineMemoryAreOneSegment() {
        // pages 2, 3, 4 are contiguous; 7 is not; 0 is read-only
        GrantedPages joined = new GrantedPages(List.of(page(2), page(3), page(4), page(7), readOnlyPage(0)), machine);
        List<MemorySegment> segs = joined.segments(100, 5 * 4096 - 200);
        assertEquals(3, segs.size());
        assertEquals(machine.address() + 2 * 4096L + 100, segs.get(0).address());
        assertEquals(3 * 4096 - 100, segs.get(0).byteSize());
        assertEquals(machine.address() + 7 * 4096L, segs.get(1).address());
        assertEquals(4096, segs.get(1).byteSize());
        assertEquals(4096 - 100, segs.get(2).byteSize());
        assertTrue(segs.get(2).isReadOnly(), "a read-only mapping stays read-only when joined");
        assertFalse(segs.get(0).isReadOnly());
        // page 7 then page 8 would be adjacent, but 8 comes before 7 here: never joined backwards
        GrantedPages backwards = new GrantedPages(List.of(page(4), page(3)), machine);
        assertEquals(2, backwards.segments(0, 2 * 4096).size());
        assertThrows(IllegalArgumentException.class, () -> new GrantedPages(List.of(page(1)),
                machine.asSlice(2 * 4096L, 4096)), "a page outside the machine memory given is refused");
    }

    /** Joined or not, the segments are exactly the bytes of the range, in order, and joined as far as they can be. */
    @Property(tries = 300)
    void segmentsCoverTheRangeExactly(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 7) Integer> mfns,
            @ForAll @Size(min = 6, max = 6) List<Boolean> readOnly, @ForAll @IntRange(max = 6 * 4096) int from,
            @ForAll @IntRange(min = 1, max = 6 * 4096) int len) {
        List<SegmentGuestMemory> views = new java.util.ArrayList<>();
        for (int i = 0; i < mfns.size(); i++) {
            views.add(readOnly.get(i) ? readOnlyPage(mfns.get(i)) : page(mfns.get(i)));
        }
        for (int i = 0; i < machine.byteSize(); i++) {
            machine.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + i / 4096));
        }
        GrantedPages g = new GrantedPages(views, machine);
        long start = Math.min(from, g.size() - 1);
        long length = Math.min(len, g.size() - start);
        List<MemorySegment> segs = g.segments(start, length);
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < segs.size(); i++) {
            got.writeBytes(segs.get(i).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            if (i > 0) {
                MemorySegment p = segs.get(i - 1);
                assertFalse(p.address() + p.byteSize() == segs.get(i).address()
                        && p.isReadOnly() == segs.get(i).isReadOnly(), "two joinable segments left apart");
            }
        }
        assertArrayEquals(g.readBytes(start, (int) length), got.toByteArray());
        assertEquals(segs.size(), new GrantedPages(views).segments(start, length).stream().map(s -> 0).count()
                - countJoins(views, start, length));
    }

    /** How many page boundaries inside the range join two pages (next in machine memory, same access). */
    private static long countJoins(List<SegmentGuestMemory> views, long start, long length) {
        long joins = 0;
        for (long page = start / 4096; page < (start + length - 1) / 4096; page++) {
            MemorySegment a = views.get((int) page).segment();
            MemorySegment b = views.get((int) page + 1).segment();
            if (a.address() + 4096 == b.address() && a.isReadOnly() == b.isReadOnly()) {
                joins++;
            }
        }
        return joins;
    }

    private SegmentGuestMemory readOnlyPage(int mfn) {
        return new SegmentGuestMemory(machine.asSlice(mfn * 4096L, 4096).asReadOnly(), 0);
    }
}
