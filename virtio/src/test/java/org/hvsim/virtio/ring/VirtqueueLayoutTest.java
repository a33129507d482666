package org.hvsim.virtio.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The split ring's layout is byte-exact and only the spec's sizes and alignments are accepted. */
class VirtqueueLayoutTest {

    @Test
    void fieldOffsetsFollowTheSpec() {
        VirtqueueLayout l = new VirtqueueLayout(256, 0x10000, 0x20000, 0x30000);
        assertEquals(0x10000 + 16 * 5, l.descriptor(5));
        assertEquals(0x20000, l.availFlags());
        assertEquals(0x20002, l.availIdx());
        assertEquals(0x20004 + 2 * 7, l.availRingEntry(7));
        assertEquals(0x20004 + 2 * 256, l.usedEvent());
        assertEquals(0x30000, l.usedFlags());
        assertEquals(0x30002, l.usedIdx());
        assertEquals(0x30004 + 8 * 9, l.usedElement(9));
        assertEquals(0x30004 + 8 * 256, l.availEvent());
        assertEquals(16 * 256, VirtqueueLayout.descTableBytes(256));
        assertEquals(6 + 2 * 256, VirtqueueLayout.availRingBytes(256));
        assertEquals(6 + 8 * 256, VirtqueueLayout.usedRingBytes(256));
    }

    @Test
    void contiguousLayoutAlignsTheUsedRingTo4() {
        VirtqueueLayout l = VirtqueueLayout.contiguous(1, 0x1000);
        assertEquals(0x1000, l.descTable());
        assertEquals(0x1010, l.availRing());
        assertEquals(0x1018, l.usedRing()); // 0x1010 + 6 + 2 = 0x1018, already 4-aligned
        VirtqueueLayout l2 = VirtqueueLayout.contiguous(2, 0x1000);
        assertEquals(0x102c, l2.usedRing()); // the available ring ends at 0x1020 + 6 + 4 = 0x102a
    }

    @Test
    void slotsWrapModuloTheSize() {
        VirtqueueLayout l = VirtqueueLayout.contiguous(8, 0);
        assertEquals(0, l.slot(65536 - 8));
        assertEquals(7, l.slot(65535));
    }

    @Test
    void sizesArePowersOfTwoUpTo32768() {
        assertTrue(VirtqueueLayout.isValidSize(1));
        assertTrue(VirtqueueLayout.isValidSize(32768));
        assertFalse(VirtqueueLayout.isValidSize(0));
        assertFalse(VirtqueueLayout.isValidSize(3));
        assertFalse(VirtqueueLayout.isValidSize(65536));
        assertFalse(VirtqueueLayout.isValidSize(-32768));
    }

    @Test
    void untrustedLayoutsAreRejectedWithAQueueError() {
        VirtqueueException e = assertThrows(VirtqueueException.class, () -> VirtqueueLayout.validate(100, 0, 0x1000, 0x2000));
        assertEquals(VirtqueueError.BAD_LAYOUT, e.error());
        assertThrows(VirtqueueException.class, () -> VirtqueueLayout.validate(8, 0x1008, 0x2000, 0x3000)); // desc 16
        assertThrows(VirtqueueException.class, () -> VirtqueueLayout.validate(8, 0x1000, 0x2001, 0x3000)); // avail 2
        assertThrows(VirtqueueException.class, () -> VirtqueueLayout.validate(8, 0x1000, 0x2000, 0x3002)); // used 4
        assertThrows(VirtqueueException.class, () -> VirtqueueLayout.validate(8, -16, 0x2000, 0x3000)); // wraps
        assertThrows(IllegalArgumentException.class, () -> new VirtqueueLayout(3, 0, 0, 0));
    }
}
