package org.hvsim.domu.xenbus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * A whole message read off the response ring: its header and exactly {@code header.len()} payload bytes.
 * The payload readers check the NUL conventions of {@code xs_wire.h} and throw {@link XsProtocolException}
 * for a payload xenstored should not have sent.
 */
public record XsMessage(XsdSockmsg header, byte[] payload) {

    public XsMessage {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        if (payload.length != header.len()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes for len " + header.len());
        }
    }

    public int type() {
        return header.type();
    }

    public boolean isType(XsdSockmsgType t) {
        return header.type() == t.number();
    }

    /** The payload as NUL-terminated strings ({@code child|child|}); an empty payload is no strings. */
    public List<String> strings() {
        if (payload.length > 0 && payload[payload.length - 1] != 0) {
            throw new XsProtocolException(describe() + " payload does not end in a NUL");
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                out.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    /** The payload as one string, without the NUL that ends it if there is one ({@code /local/domain/5|}). */
    public String string() {
        int n = payload.length;
        if (n > 0 && payload[n - 1] == 0) {
            n--;
        }
        for (int i = 0; i < n; i++) {
            if (payload[i] == 0) {
                throw new XsProtocolException(describe() + " payload holds more than one string");
            }
        }
        return new String(payload, 0, n, StandardCharsets.UTF_8);
    }

    private String describe() {
        XsdSockmsgType t = XsdSockmsgType.of(Integer.toUnsignedLong(header.type()));
        return t == null ? "message type " + Integer.toUnsignedString(header.type()) : t.name();
    }
}
