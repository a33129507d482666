package org.hvsim.virtio.blk;

import org.hvsim.virtio.VirtioFeature;

/**
 * What the request parser checks requests against: capacity in 512-byte sectors, whether the device is
 * read-only (VIRTIO_BLK_F_RO offered), which optional commands were negotiated, and the discard /
 * write-zeroes limits (a segment limit of 0 is taken as 1; a sector limit of 0 as none).
 */
public record VirtioBlkLimits(long capacity, boolean readOnly, boolean flush, boolean discard, boolean writeZeroes,
        long maxDiscardSectors, int maxDiscardSeg, long maxWriteZeroesSectors, int maxWriteZeroesSeg) {

    public VirtioBlkLimits {
        maxDiscardSeg = Math.max(1, maxDiscardSeg);
        maxWriteZeroesSeg = Math.max(1, maxWriteZeroesSeg);
    }

    public static VirtioBlkLimits of(VirtioBlkConfig config, long offered, long negotiated) {
        return new VirtioBlkLimits(config.capacity(), VirtioFeature.has(offered, VirtioBlkFeature.RO),
                VirtioFeature.has(negotiated, VirtioBlkFeature.FLUSH),
                VirtioFeature.has(negotiated, VirtioBlkFeature.DISCARD),
                VirtioFeature.has(negotiated, VirtioBlkFeature.WRITE_ZEROES),
                Integer.toUnsignedLong(config.maxDiscardSectors()), config.maxDiscardSeg(),
                Integer.toUnsignedLong(config.maxWriteZeroesSectors()), config.maxWriteZeroesSeg());
    }
}
