package org.hvsim.virtio.ring;

/** A buffer a driver offers: its DMA address as the device will see it and its length (unsigned 32-bit). */
public record DriverBuffer(long addr, long len) {

    public DriverBuffer {
        if (len < 0 || len > 0xffff_ffffL) {
            throw new IllegalArgumentException("len " + len);
        }
    }
}
