package org.hvsim.virtio.dma;

/** A DMA address range the device may not access: unmapped, outside granted memory, a bad grant ref, or read-only. */
public final class DmaFault extends Exception {
    private static final long serialVersionUID = 1L;

    private final long address;
    private final long length;

    public DmaFault(long address, long length, String reason) {
        super(String.format("DMA fault at 0x%x (+%d): %s", address, length, reason), null, false, false);
        this.address = address;
        this.length = length;
    }

    public long address() {
        return address;
    }

    public long length() {
        return length;
    }
}
