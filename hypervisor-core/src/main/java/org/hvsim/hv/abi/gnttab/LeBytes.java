package org.hvsim.hv.abi.gnttab;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian views of a grant_table_op structure's bytes, as x86-64 lays them out. */
final class LeBytes {
    private LeBytes() {}

    static ByteBuffer wrap(byte[] raw, int size) {
        if (raw.length != size) {
            throw new IllegalArgumentException("structure is " + size + " bytes, got " + raw.length);
        }
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int u16(ByteBuffer b, int offset) {
        return Short.toUnsignedInt(b.getShort(offset));
    }
}
