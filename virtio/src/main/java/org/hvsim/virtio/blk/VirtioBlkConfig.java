package org.hvsim.virtio.blk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code struct virtio_blk_config} (VIRTIO 1.2 §5.2.4), little-endian, {@value #SIZE} bytes. Unsigned 32-bit
 * fields are held in ints (read them with {@link Integer#toUnsignedLong}); {@code capacity} counts 512-byte
 * sectors. A field is meaningful only if its feature bit is offered (size_max: SIZE_MAX, seg_max: SEG_MAX,
 * blk_size: BLK_SIZE, discard fields: DISCARD, …).
 *
 * <pre>
 * @0  capacity u64        @16 cylinders u16, heads u8, sectors u8   @32 writeback u8, unused0 u8
 * @8  size_max u32        @20 blk_size u32                           @34 num_queues u16
 * @12 seg_max u32         @24 physical_block_exp u8, alignment_offset u8, min_io_size u16, @28 opt_io_size u32
 * @36 max_discard_sectors, @40 max_discard_seg, @44 discard_sector_alignment,
 * @48 max_write_zeroes_sectors, @52 max_write_zeroes_seg, @56 write_zeroes_may_unmap u8 + 3 unused,
 * @60 max_secure_erase_sectors, @64 max_secure_erase_seg, @68 secure_erase_sector_alignment (u32 each)
 * </pre>
 */
public record VirtioBlkConfig(long capacity, int sizeMax, int segMax, short cylinders, byte heads, byte sectors,
        int blkSize, byte physicalBlockExp, byte alignmentOffset, short minIoSize, int optIoSize, byte writeback,
        short numQueues, int maxDiscardSectors, int maxDiscardSeg, int discardSectorAlignment,
        int maxWriteZeroesSectors, int maxWriteZeroesSeg, byte writeZeroesMayUnmap, int maxSecureEraseSectors,
        int maxSecureEraseSeg, int secureEraseSectorAlignment) {

    public static final int SIZE = 72;

    /**
     * The fields a plain disk fills: its capacity, segment limits, block size, one queue, and discard /
     * write-zeroes limits; the rest 0.
     */
    public static VirtioBlkConfig of(long capacity, int sizeMax, int segMax, int blkSize, int maxDiscardSectors,
            int maxDiscardSeg, int maxWriteZeroesSectors, int maxWriteZeroesSeg) {
        return new VirtioBlkConfig(capacity, sizeMax, segMax, (short) 0, (byte) 0, (byte) 0, blkSize, (byte) 0,
                (byte) 0, (short) 0, 0, (byte) 0, (short) 1, maxDiscardSectors, maxDiscardSeg, 1,
                maxWriteZeroesSectors, maxWriteZeroesSeg, (byte) 1, 0, 0, 0);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(capacity).putInt(sizeMax).putInt(segMax)
                .putShort(cylinders).put(heads).put(sectors).putInt(blkSize)
                .put(physicalBlockExp).put(alignmentOffset).putShort(minIoSize).putInt(optIoSize)
                .put(writeback).put((byte) 0).putShort(numQueues)
                .putInt(maxDiscardSectors).putInt(maxDiscardSeg).putInt(discardSectorAlignment)
                .putInt(maxWriteZeroesSectors).putInt(maxWriteZeroesSeg)
                .put(writeZeroesMayUnmap).put((byte) 0).put((byte) 0).put((byte) 0)
                .putInt(maxSecureEraseSectors).putInt(maxSecureEraseSeg).putInt(secureEraseSectorAlignment)
                .array();
    }

    /** Decodes the first {@value #SIZE} bytes of {@code b}; the unused bytes are ignored. */
    public static VirtioBlkConfig decode(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long capacity = buf.getLong();
        int sizeMax = buf.getInt();
        int segMax = buf.getInt();
        short cylinders = buf.getShort();
        byte heads = buf.get();
        byte sectors = buf.get();
        int blkSize = buf.getInt();
        byte physExp = buf.get();
        byte alignOff = buf.get();
        short minIo = buf.getShort();
        int optIo = buf.getInt();
        byte writeback = buf.get();
        buf.get();
        short numQueues = buf.getShort();
        int maxDiscardSectors = buf.getInt();
        int maxDiscardSeg = buf.getInt();
        int discardAlign = buf.getInt();
        int maxWzSectors = buf.getInt();
        int maxWzSeg = buf.getInt();
        byte wzMayUnmap = buf.get();
        buf.position(buf.position() + 3);
        return new VirtioBlkConfig(capacity, sizeMax, segMax, cylinders, heads, sectors, blkSize, physExp, alignOff,
                minIo, optIo, writeback, numQueues, maxDiscardSectors, maxDiscardSeg, discardAlign, maxWzSectors,
                maxWzSeg, wzMayUnmap, buf.getInt(), buf.getInt(), buf.getInt());
    }
}
