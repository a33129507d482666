package org.hvsim.virtio.blk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One {@code struct virtio_blk_discard_write_zeroes} (16 bytes) of DISCARD, WRITE_ZEROES or SECURE_ERASE data:
 * {@code sector} le64 @0, {@code num_sectors} le32 @8 (unsigned, held in a long), {@code flags} le32 @12 with
 * bit 0 {@link #FLAG_UNMAP}; the other 31 bits are reserved.
 */
public record VirtioBlkSegment(long sector, long numSectors, int flags) {

    public static final int SIZE = 16;
    public static final int FLAG_UNMAP = 1;

    public static VirtioBlkSegment decode(byte[] b, int offset) {
        ByteBuffer buf = ByteBuffer.wrap(b, offset, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        return new VirtioBlkSegment(buf.getLong(), Integer.toUnsignedLong(buf.getInt()), buf.getInt());
    }

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(sector).putInt((int) numSectors)
                .putInt(flags).array();
    }

    public boolean unmap() {
        return (flags & FLAG_UNMAP) != 0;
    }
}
