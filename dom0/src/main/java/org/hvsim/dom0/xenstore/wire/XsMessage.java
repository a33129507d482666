package org.hvsim.dom0.xenstore.wire;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * One XenStore message: its header and exactly {@code header.len()} payload bytes. The payload array is
 * owned by the message and not modified after construction.
 */
public record XsMessage(XsdSockmsg header, byte[] payload) {

    public XsMessage {
        Objects.requireNonNull(header);
        Objects.requireNonNull(payload);
        if (header.len() != payload.length) {
            throw new IllegalArgumentException("header says " + header.lenUnsigned() + " bytes, payload has "
                    + payload.length);
        }
    }

    /** A request or reply with a header built from its parts. */
    public static XsMessage of(int type, int reqId, int txId, byte[] payload) {
        return new XsMessage(new XsdSockmsg(type, reqId, txId, payload.length), payload);
    }

    /** The reply to {@code request}: same type, req_id and tx_id. */
    public static XsMessage reply(XsdSockmsg request, byte[] payload) {
        return of(request.type(), request.reqId(), request.txId(), payload);
    }

    /** An {@code XS_ERROR} reply to {@code request}: the error's name and a NUL. */
    public static XsMessage error(XsdSockmsg request, XsdError error) {
        return of(XsdSockmsgType.XS_ERROR.number(), request.reqId(), request.txId(), XsPayload.cString(error.name()));
    }

    /** An unsolicited {@code XS_WATCH_EVENT}: {@code path\0token\0}, req_id and tx_id 0. */
    public static XsMessage watchEvent(String path, String token) {
        byte[] p = path.getBytes(StandardCharsets.ISO_8859_1);
        byte[] t = token.getBytes(StandardCharsets.ISO_8859_1);
        byte[] payload = new byte[p.length + t.length + 2];
        System.arraycopy(p, 0, payload, 0, p.length);
        System.arraycopy(t, 0, payload, p.length + 1, t.length);
        return of(XsdSockmsgType.XS_WATCH_EVENT.number(), 0, 0, payload);
    }

    public int type() {
        return header.type();
    }

    /** Header and payload as they go on the wire. */
    public byte[] encode() {
        byte[] out = new byte[XsdSockmsg.SIZE + payload.length];
        System.arraycopy(header.toBytes(), 0, out, 0, XsdSockmsg.SIZE);
        System.arraycopy(payload, 0, out, XsdSockmsg.SIZE, payload.length);
        return out;
    }

    /** Bytes this message occupies on the wire. */
    public int wireSize() {
        return XsdSockmsg.SIZE + payload.length;
    }
}
