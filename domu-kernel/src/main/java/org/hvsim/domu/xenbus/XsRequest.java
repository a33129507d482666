package org.hvsim.domu.xenbus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * One request as the client will send it: type, transaction and payload, checked once here as libxenstore
 * checks before sending: no string argument may hold a NUL (it would split into two), and the payload must fit
 * in {@code XENSTORE_PAYLOAD_MAX} ({@code E2BIG} otherwise). The header's {@code req_id} is chosen at send
 * time ({@link #encode}).
 *
 * @param type    the request type
 * @param txId    the transaction, 0 for none
 * @param payload the payload bytes
 */
public record XsRequest(XsdSockmsgType type, int txId, byte[] payload) {

    public XsRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (payload.length > XsdSockmsg.XENSTORE_PAYLOAD_MAX) {
            throw new XenbusException(XsdError.E2BIG, type + " of " + payload.length + " bytes");
        }
    }

    /** A request whose payload is {@code strings}, each followed by a NUL ({@code path|token|}). */
    public static XsRequest strings(XsdSockmsgType type, int txId, String... strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            out.writeBytes(checked(type, s));
            out.write(0);
        }
        return new XsRequest(type, txId, out.toByteArray());
    }

    /** A request whose payload is {@code path|} then {@code value} as is ({@code XS_WRITE}). */
    public static XsRequest pathAndValue(XsdSockmsgType type, int txId, String path, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(checked(type, path));
        out.write(0);
        out.writeBytes(value);
        return new XsRequest(type, txId, out.toByteArray());
    }

    /** The message on the wire: the 16-byte header with {@code reqId}, then the payload. */
    public byte[] encode(int reqId) {
        byte[] msg = new byte[XsdSockmsg.SIZE + payload.length];
        System.arraycopy(new XsdSockmsg(type.number(), reqId, txId, payload.length).toBytes(), 0, msg, 0,
                XsdSockmsg.SIZE);
        System.arraycopy(payload, 0, msg, XsdSockmsg.SIZE, payload.length);
        return msg;
    }

    private static byte[] checked(XsdSockmsgType type, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new XenbusException(XsdError.EINVAL, type + " argument with a NUL in it");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
