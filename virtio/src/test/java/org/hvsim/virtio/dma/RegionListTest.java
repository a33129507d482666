package org.hvsim.virtio.dma;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.junit.jupiter.api.Test;

/** A chain's buffers read and written as one run of bytes, and the identity translator's refusals. */
class RegionListTest {

    private final SegmentGuestMemory mem = SegmentGuestMemory.allocate(0x1000);

    @Test
    void readsAndWritesAcrossRegions() {
        RegionList l = RegionList.of(List.of(new GuestRegion(mem, 0x100, 3, true), new GuestRegion(mem, 0x200, 2, true),
                new GuestRegion(mem, 0x300, 4, true)));
        assertEquals(9, l.length());
        l.write(2, new byte[] {1, 2, 3, 4}, 0, 4);
        assertEquals(1, mem.getByte(0x102));
        assertEquals(2, mem.getByte(0x200));
        assertEquals(3, mem.getByte(0x201));
        assertEquals(4, mem.getByte(0x300));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, l.readBytes(2, 4));
        RegionList s = l.slice(2, 4);
        assertEquals(3, s.regions().size());
        assertEquals(new GuestRegion(mem, 0x102, 1, true), s.regions().getFirst());
        l.putByte(8, (byte) 9);
        assertEquals(9, mem.getByte(0x303));
        assertThrows(IndexOutOfBoundsException.class, () -> l.slice(8, 2));
        assertEquals(0, l.slice(9, 0).length());
    }

    @Test
    void readableRegionsRefuseWrites() {
        RegionList l = RegionList.of(List.of(new GuestRegion(mem, 0x100, 3, false)));
        assertThrows(IllegalStateException.class, () -> l.putByte(0, (byte) 1));
    }

    @Test
    void identityTranslationRefusesRangesOutsideMemory() throws DmaFault {
        IdentityDmaTranslator t = new IdentityDmaTranslator(mem);
        assertEquals(new GuestRegion(mem, 0xff0, 16, false), t.translate(0xff0, 16, false));
        assertThrows(DmaFault.class, () -> t.translate(0xff0, 17, false));
        assertThrows(DmaFault.class, () -> t.translate(-8, 16, true));
        assertThrows(DmaFault.class, () -> t.translate(Long.MAX_VALUE, 2, true));
    }
}
