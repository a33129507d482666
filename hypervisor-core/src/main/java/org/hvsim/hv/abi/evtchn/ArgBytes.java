package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian views of an argument structure's bytes, as x86 lays them out. */
final class ArgBytes {
    private ArgBytes() {}

    /** A little-endian buffer over {@code raw}, which must hold exactly {@code size} bytes. */
    static ByteBuffer wrap(byte[] raw, int size) {
        if (raw.length != size) {
            throw new IllegalArgumentException("structure is " + size + " bytes, got " + raw.length);
        }
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A zeroed little-endian buffer of {@code size} bytes. */
    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int u16(ByteBuffer b, int offset) {
        return Short.toUnsignedInt(b.getShort(offset));
    }
}
