package org.hvsim.virtio.dma;

/**
 * The grant-based DMA address of Xen's virtio grant DMA (Linux {@code drivers/xen/grant-dma-ops.c}): bit 63
 * set marks a grant address, bits 12..62 hold the grant ref, bits 0..11 the offset in the granted page.
 * A buffer that spans pages uses consecutive grant refs, so {@code address + n} stays meaningful across a
 * page boundary. A pure codec: no grant is looked up here.
 *
 * @param ref    the grant ref of the first page (an unsigned 32-bit {@code grant_ref_t})
 * @param offset the byte offset in that page, below {@link #PAGE_SIZE}
 */
public record GrantDmaAddress(int ref, int offset) {

    /** Bit 63: the address is a grant address ({@code XEN_GRANT_DMA_ADDR_OFF}). */
    public static final long GRANT_FLAG = 1L << 63;
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    public GrantDmaAddress {
        if (offset < 0 || offset >= PAGE_SIZE) {
            throw new IllegalArgumentException("offset " + offset + " outside a page");
        }
    }

    /** Whether {@code address} is a grant address (bit 63 set). */
    public static boolean isGrant(long address) {
        return (address & GRANT_FLAG) != 0;
    }

    /**
     * Decodes {@code address}; a {@link DmaFault} if bit 63 is clear or the grant ref does not fit 32 bits
     * (bits 44..62 set).
     */
    public static GrantDmaAddress decode(long address) throws DmaFault {
        if (!isGrant(address)) {
            throw new DmaFault(address, 0, "not a grant address (bit 63 clear)");
        }
        long frame = (address & ~GRANT_FLAG) >>> PAGE_SHIFT;
        if ((frame >>> 32) != 0) {
            throw new DmaFault(address, 0, "grant ref does not fit 32 bits");
        }
        return new GrantDmaAddress((int) frame, (int) (address & (PAGE_SIZE - 1)));
    }

    /** The address of byte {@code offset} of the page granted with {@code ref}. */
    public static long encode(int ref, int offset) {
        return new GrantDmaAddress(ref, offset).address();
    }

    public long address() {
        return GRANT_FLAG | (Integer.toUnsignedLong(ref) << PAGE_SHIFT) | offset;
    }

    /** How many consecutive grant refs, starting at {@link #ref}, a buffer of {@code length} bytes here spans. */
    public long pageCount(long length) {
        if (length <= 0) {
            throw new IllegalArgumentException("length " + length);
        }
        return (offset + length + PAGE_SIZE - 1) >>> PAGE_SHIFT;
    }
}
