package org.hvsim.virtio.dma;

/**
 * Turns a descriptor's (addr, len) into memory the device may touch. Implementations decide what an address
 * means: guest-physical (the identity, for tests and in-process devices), or a grant-based address
 * ({@link GrantDmaAddress}) that the backend resolves through its grant mappings.
 */
@FunctionalInterface
public interface DmaTranslator {

    /**
     * The region {@code [address, address+length)} as the device may access it: readable, and writable too
     * if {@code write}. {@code length} is at least 1.
     *
     * @throws DmaFault if any byte of the range is not accessible that way
     */
    GuestRegion translate(long address, long length, boolean write) throws DmaFault;
}
