package org.hvsim.virtio.blk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The device-readable head of every request: {@code type} le32 @0, {@code reserved} le32 @4 (formerly ioprio),
 * {@code sector} le64 @8, in 512-byte units whatever blk_size is.
 */
public record VirtioBlkRequestHeader(int type, int reserved, long sector) {

    public static final int SIZE = 16;
    public static final int SECTOR_SIZE = 512;

    public static VirtioBlkRequestHeader decode(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        return new VirtioBlkRequestHeader(buf.getInt(), buf.getInt(), buf.getLong());
    }

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(reserved).putLong(sector)
                .array();
    }
}
