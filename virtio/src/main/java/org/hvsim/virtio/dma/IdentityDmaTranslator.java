package org.hvsim.virtio.dma;

import org.hvsim.hv.abi.GuestMemory;

/**
 * DMA addresses are addresses of one {@link GuestMemory}: what a device sees when it shares the driver's
 * address space (tests, in-process devices). Refuses ranges that wrap or that the memory does not hold.
 */
public final class IdentityDmaTranslator implements DmaTranslator {

    private final GuestMemory memory;

    public IdentityDmaTranslator(GuestMemory memory) {
        this.memory = memory;
    }

    @Override
    public GuestRegion translate(long address, long length, boolean write) throws DmaFault {
        if (length <= 0 || address + length < address || !memory.isAccessible(address, length)) {
            throw new DmaFault(address, length, "not in guest memory");
        }
        return new GuestRegion(memory, address, length, write);
    }
}
