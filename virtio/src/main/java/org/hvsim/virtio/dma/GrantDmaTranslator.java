package org.hvsim.virtio.dma;

/**
 * Translation for Xen's virtio grant DMA: every descriptor address must be a {@link GrantDmaAddress}; the ref and
 * offset it holds go to the backend's {@link GrantMappings}. A guest-physical address (bit 63 clear) is
 * refused: the backend may only touch what the frontend granted.
 */
public final class GrantDmaTranslator implements DmaTranslator {

    private final GrantMappings mappings;

    public GrantDmaTranslator(GrantMappings mappings) {
        this.mappings = mappings;
    }

    @Override
    public GuestRegion translate(long address, long length, boolean write) throws DmaFault {
        GrantDmaAddress g = GrantDmaAddress.decode(address);
        if (length <= 0 || g.pageCount(length) > 0xffff_ffffL - Integer.toUnsignedLong(g.ref()) + 1) {
            throw new DmaFault(address, length, "grant refs run past 2^32");
        }
        return mappings.map(g.ref(), g.offset(), length, write);
    }
}
