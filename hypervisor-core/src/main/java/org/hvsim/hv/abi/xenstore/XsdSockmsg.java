package org.hvsim.hv.abi.xenstore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code struct xsd_sockmsg}: the 16-byte header in front of every XenStore message, on the socket and
 * on the ring. All four fields are host-endian (little-endian here) unsigned 32-bit values; they are
 * held in {@code int}s and compared unsigned where it matters.
 *
 * <pre>
 *  0  u32 type     XsdSockmsgType number
 *  4  u32 req_id   echoed in the reply; 0 in watch events
 *  8  u32 tx_id    0 = no transaction
 * 12  u32 len      payload bytes that follow, at most XENSTORE_PAYLOAD_MAX
 * </pre>
 */
public record XsdSockmsg(int type, int reqId, int txId, int len) {
    public static final int SIZE = 16;
    /** {@code XENSTORE_PAYLOAD_MAX}. */
    public static final int XENSTORE_PAYLOAD_MAX = 4096;
    /** {@code XENSTORE_ABS_PATH_MAX}. */
    public static final int XENSTORE_ABS_PATH_MAX = 3072;
    /** {@code XENSTORE_REL_PATH_MAX}. */
    public static final int XENSTORE_REL_PATH_MAX = 2048;

    /** Reads a header from the next 16 bytes of {@code buf} (any byte order; read as little-endian). */
    public static XsdSockmsg read(ByteBuffer buf) {
        ByteBuffer b = buf.slice(buf.position(), SIZE).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(buf.position() + SIZE);
        return new XsdSockmsg(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12));
    }

    /** Reads a header from {@code bytes} at {@code offset}. */
    public static XsdSockmsg read(byte[] bytes, int offset) {
        return read(ByteBuffer.wrap(bytes, offset, SIZE));
    }

    /** Writes this header into the next 16 bytes of {@code buf}. */
    public void write(ByteBuffer buf) {
        ByteBuffer b = buf.slice(buf.position(), SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, type).putInt(4, reqId).putInt(8, txId).putInt(12, len);
        buf.position(buf.position() + SIZE);
    }

    /** This header as 16 bytes. */
    public byte[] toBytes() {
        byte[] out = new byte[SIZE];
        write(ByteBuffer.wrap(out));
        return out;
    }

    /** The payload length as an unsigned value. */
    public long lenUnsigned() {
        return Integer.toUnsignedLong(len);
    }
}
