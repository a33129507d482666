package org.hvsim.virtio.blk;

/** virtio-blk feature bit numbers (VIRTIO 1.2 §5.2.3). BARRIER and SCSI are legacy only. */
public final class VirtioBlkFeature {

    public static final int BARRIER = 0;
    public static final int SIZE_MAX = 1;
    public static final int SEG_MAX = 2;
    public static final int GEOMETRY = 4;
    public static final int RO = 5;
    public static final int BLK_SIZE = 6;
    public static final int SCSI = 7;
    /** Legacy name WCE. */
    public static final int FLUSH = 9;
    public static final int TOPOLOGY = 10;
    public static final int CONFIG_WCE = 11;
    public static final int MQ = 12;
    public static final int DISCARD = 13;
    public static final int WRITE_ZEROES = 14;
    public static final int LIFETIME = 15;
    public static final int SECURE_ERASE = 16;

    private VirtioBlkFeature() {
    }
}
