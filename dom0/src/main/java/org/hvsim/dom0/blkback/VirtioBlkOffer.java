package org.hvsim.dom0.blkback;

import org.hvsim.virtio.VirtioFeature;
import org.hvsim.virtio.blk.VirtioBlkConfig;
import org.hvsim.virtio.blk.VirtioBlkFeature;
import org.hvsim.virtio.blk.VirtioBlkLimits;
import org.hvsim.virtio.blk.VirtioBlkRequestHeader;

/**
 * What the backend offers for one disk (the contract's {@code virtio-device-features} and
 * {@code virtio-config}): VERSION_1, ACCESS_PLATFORM (grant DMA), EVENT_IDX, INDIRECT_DESC, SEG_MAX,
 * BLK_SIZE, FLUSH, DISCARD, WRITE_ZEROES, and RO for a read-only disk; the config with the capacity in
 * 512-byte sectors, blk_size 512, seg_max {@link #SEG_MAX} and one-segment discard / write-zeroes limits.
 */
public record VirtioBlkOffer(long features, VirtioBlkConfig config) {
    /** virtio-device-id of a block device. */
    public static final int DEVICE_ID = 2;
    /** The largest queue the frontend may set up (virtio-queue-max-size). */
    public static final int QUEUE_MAX_SIZE = 256;
    /** Data segments per request: a queue's worth less the header and status descriptors. */
    public static final int SEG_MAX = QUEUE_MAX_SIZE - 2;
    /** Sectors one DISCARD or WRITE_ZEROES segment may cover (2 GiB). */
    public static final int MAX_RANGE_SECTORS = 1 << 22;

    /** The offer for a disk of {@code bytes} (a multiple of 512), read-only or not. */
    public static VirtioBlkOffer of(long bytes, boolean readOnly) {
        long f = VirtioFeature.mask(VirtioFeature.VERSION_1) | VirtioFeature.mask(VirtioFeature.ACCESS_PLATFORM)
                | VirtioFeature.mask(VirtioFeature.EVENT_IDX) | VirtioFeature.mask(VirtioFeature.INDIRECT_DESC)
                | VirtioFeature.mask(VirtioBlkFeature.SEG_MAX) | VirtioFeature.mask(VirtioBlkFeature.BLK_SIZE)
                | VirtioFeature.mask(VirtioBlkFeature.FLUSH) | VirtioFeature.mask(VirtioBlkFeature.DISCARD)
                | VirtioFeature.mask(VirtioBlkFeature.WRITE_ZEROES);
        if (readOnly) {
            f |= VirtioFeature.mask(VirtioBlkFeature.RO);
        }
        VirtioBlkConfig c = VirtioBlkConfig.of(bytes / VirtioBlkRequestHeader.SECTOR_SIZE, 0, SEG_MAX,
                VirtioBlkRequestHeader.SECTOR_SIZE, MAX_RANGE_SECTORS, 1, MAX_RANGE_SECTORS, 1);
        return new VirtioBlkOffer(f, c);
    }

    /** What the request parser checks against once the frontend accepted {@code negotiated}. */
    public VirtioBlkLimits limits(long negotiated) {
        return VirtioBlkLimits.of(config, features, negotiated);
    }

    /** {@code virtio-device-features}: lowercase hex without 0x. */
    public String featuresHex() {
        return Long.toHexString(features);
    }

    /** {@code virtio-config}: the config's bytes in lowercase hex. */
    public String configHex() {
        return java.util.HexFormat.of().formatHex(config.encode());
    }
}
