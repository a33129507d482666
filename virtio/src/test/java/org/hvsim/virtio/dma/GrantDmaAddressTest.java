package org.hvsim.virtio.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Xen's grant DMA address: bit 63, the grant ref above the page offset. */
class GrantDmaAddressTest {

    @Test
    void encodesLikeGrantDmaOps() {
        assertEquals(0x8000_0000_0000_0000L, GrantDmaAddress.encode(0, 0));
        assertEquals(0x8000_0000_0000_5123L, GrantDmaAddress.encode(5, 0x123));
        assertEquals(0x8000_0FFF_FFFF_FFFFL, GrantDmaAddress.encode(0xffff_ffff, 0xfff));
    }

    @Test
    void decodesAndRefusesNonGrantAddresses() throws DmaFault {
        assertEquals(new GrantDmaAddress(7, 0x10), GrantDmaAddress.decode(0x8000_0000_0000_7010L));
        assertFalse(GrantDmaAddress.isGrant(0x7010));
        assertThrows(DmaFault.class, () -> GrantDmaAddress.decode(0x7010));
        assertThrows(DmaFault.class, () -> GrantDmaAddress.decode(0x8000_1000_0000_0000L)); // ref beyond 32 bits
        assertThrows(IllegalArgumentException.class, () -> new GrantDmaAddress(1, 4096));
    }

    @Test
    void countsThePagesABufferSpans() {
        GrantDmaAddress a = new GrantDmaAddress(10, 4000);
        assertEquals(1, a.pageCount(96));
        assertEquals(2, a.pageCount(97));
        assertEquals(3, new GrantDmaAddress(10, 0).pageCount(4096 * 2 + 1));
        assertEquals(1, new GrantDmaAddress(10, 0).pageCount(4096));
    }

    @Property
    void roundTrips(@ForAll int ref, @ForAll @IntRange(max = 4095) int offset) throws DmaFault {
        long address = GrantDmaAddress.encode(ref, offset);
        assertTrue(GrantDmaAddress.isGrant(address));
        assertEquals(new GrantDmaAddress(ref, offset), GrantDmaAddress.decode(address));
    }

    /** Any 64-bit value either decodes to a grant address that encodes back to it, or is refused. */
    @Property
    void decodingAnyValueIsTotal(@ForAll long address) {
        try {
            assertEquals(address, GrantDmaAddress.decode(address).address());
        } catch (DmaFault f) {
            assertTrue(!GrantDmaAddress.isGrant(address) || (address & 0x7FFF_F000_0000_0000L) != 0);
        }
    }
}
