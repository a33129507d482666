package org.hvsim.virtio.blk;

/** The status byte the device writes last (VIRTIO_BLK_S_*). */
public final class VirtioBlkStatus {

    public static final int OK = 0;
    /** Device or driver error. */
    public static final int IOERR = 1;
    /** Request not supported by the device. */
    public static final int UNSUPP = 2;

    private VirtioBlkStatus() {
    }
}
