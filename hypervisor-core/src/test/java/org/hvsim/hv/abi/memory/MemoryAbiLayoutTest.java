package org.hvsim.hv.abi.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hvsim.hv.abi.SegmentGuestMemory;
import org.junit.jupiter.api.Test;

/**
 * Layouts against Xen's public headers, laid out by the x86-64 C ABI (8-byte xen_ulong_t, handles and
 * xen_pfn_t; 4-byte unsigned int; 2-byte domid_t; structures padded to their largest alignment).
 */
class MemoryAbiLayoutTest {

    /** public/memory.h: { handle extent_start; xen_ulong_t nr_extents; uint extent_order; uint mem_flags; domid_t domid; }. */
    @Test
    void xenMemoryReservation() {
        assertEquals(0, XenMemoryReservation.EXTENT_START);
        assertEquals(8, XenMemoryReservation.NR_EXTENTS);
        assertEquals(16, XenMemoryReservation.EXTENT_ORDER);
        assertEquals(20, XenMemoryReservation.MEM_FLAGS);
        assertEquals(24, XenMemoryReservation.DOMID);
        assertEquals(32, XenMemoryReservation.SIZE);
        assertEquals(8, XenMemoryReservation.EXTENT_SIZE);
    }

    @Test
    void xenMemoryReservationBytes() {
        SegmentGuestMemory mem = SegmentGuestMemory.allocate(64);
        mem.fill(0, 64, (byte) 0xee);
        new XenMemoryReservation(0x1122334455667788L, 3, 9, XenMemFlags.addressBits(32) | XenMemFlags.node(1), 0x7ff0)
                .writeTo(mem, 16);
        assertArrayEquals(new byte[] {
                (byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
                3, 0, 0, 0, 0, 0, 0, 0,
                9, 0, 0, 0,
                32, 2, 0, 0,
                (byte) 0xf0, 0x7f, 0, 0, 0, 0, 0, 0}, mem.readBytes(16, 32));
        assertEquals((byte) 0xee, mem.getByte(48), "nothing past the structure is written");
        XenMemoryReservation r = XenMemoryReservation.readFrom(mem, 16);
        assertEquals(new XenMemoryReservation(0x1122334455667788L, 3, 9, 0x220, 0x7ff0), r);
        assertEquals(1, XenMemFlags.getNode(r.memFlags()));
        assertEquals(32, XenMemFlags.getAddressBits(r.memFlags()));
    }

    /** public/memory.h XENMEMF_*. */
    @Test
    void memFlags() {
        assertEquals(1 << 16, XenMemFlags.POPULATE_ON_DEMAND);
        assertEquals(1 << 17, XenMemFlags.EXACT_NODE_REQUEST);
        assertEquals(1 << 18, XenMemFlags.VNODE);
        assertEquals(0x100, XenMemFlags.node(0));
    }

    /** public/xen.h: struct mmu_update { uint64_t ptr; uint64_t val; }, MMU_* commands. */
    @Test
    void mmuUpdate() {
        assertEquals(0, MmuUpdate.PTR);
        assertEquals(8, MmuUpdate.VAL);
        assertEquals(16, MmuUpdate.SIZE);
        assertEquals(0, MmuUpdate.MMU_NORMAL_PT_UPDATE);
        assertEquals(1, MmuUpdate.MMU_MACHPHYS_UPDATE);
        assertEquals(2, MmuUpdate.MMU_PT_UPDATE_PRESERVE_AD);
        assertEquals(3, MmuUpdate.MMU_PT_UPDATE_NO_TRANSLATE);
        assertEquals(0x80000000, MmuUpdate.MMU_UPDATE_PREEMPTED);
        SegmentGuestMemory mem = SegmentGuestMemory.allocate(64);
        new MmuUpdate(0x5000 | 2, 0x1234_5067L).writeTo(mem, 16, 1);
        assertEquals(0x5002, mem.getLong(32));
        assertEquals(0x1234_5067L, mem.getLong(40));
        MmuUpdate read = MmuUpdate.readFrom(mem, 16, 1);
        assertEquals(2, read.command());
        assertEquals(0x5000, read.machineAddress());
    }

    /** x86-64 PTE: address bits 51:12, present bit 0, accessed 5, dirty 6, NX 63. */
    @Test
    void pte() {
        long e = Pte.of(0xABCDEL, Pte.PAGE_PRESENT | Pte.PAGE_RW | Pte.PAGE_NX);
        assertEquals(0x8000_0000_ABCD_E003L, e);
        assertEquals(0xABCDEL, Pte.mfn(e));
        assertEquals(0x000F_FFFF_FFFF_F000L, Pte.ADDRESS_MASK);
        assertEquals(0x20, Pte.PAGE_ACCESSED);
        assertEquals(0x40, Pte.PAGE_DIRTY);
        assertEquals(false, Pte.isPresent(e & ~1L));
    }
}
