package org.hvsim.domu.xenbus;

import java.util.function.Consumer;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/**
 * Cuts the response byte stream into messages, however it arrives: a header or a payload may come in any
 * number of pieces, and one piece may hold the end of one message and the start of the next. A header whose
 * {@code len} exceeds {@code XENSTORE_PAYLOAD_MAX} ends the stream ({@link XsProtocolException}): the
 * decoder never allocates more than that for a payload.
 *
 * <p>Threads: one at a time (the client's response lock).
 */
final class XsMessageDecoder {
    private final byte[] header = new byte[XsdSockmsg.SIZE];
    private int headerFill;
    private XsdSockmsg current;
    private byte[] payload;
    private int payloadFill;
    private boolean broken;

    /**
     * Takes {@code src[off, off+len)}; hands every message it completes to {@code sink}, in order.
     *
     * @throws XsProtocolException for a header announcing too long a payload (and for every call after it)
     */
    void feed(byte[] src, int off, int len, Consumer<XsMessage> sink) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        if (broken) {
            throw new XsProtocolException("the response stream already broke");
        }
        int end = off + len;
        while (off < end) {
            if (current == null) {
                int n = Math.min(XsdSockmsg.SIZE - headerFill, end - off);
                System.arraycopy(src, off, header, headerFill, n);
                headerFill += n;
                off += n;
                if (headerFill < XsdSockmsg.SIZE) {
                    return;
                }
                XsdSockmsg h = XsdSockmsg.read(header, 0);
                if (h.lenUnsigned() > XsdSockmsg.XENSTORE_PAYLOAD_MAX) {
                    broken = true;
                    throw new XsProtocolException("xenstored sent a message of type " + Integer.toUnsignedString(h.type())
                            + " with len " + h.lenUnsigned() + " > " + XsdSockmsg.XENSTORE_PAYLOAD_MAX);
                }
                current = h;
                payload = new byte[h.len()];
                payloadFill = 0;
            }
            int n = Math.min(payload.length - payloadFill, end - off);
            System.arraycopy(src, off, payload, payloadFill, n);
            payloadFill += n;
            off += n;
            if (payloadFill == payload.length) {
                XsMessage m = new XsMessage(current, payload);
                current = null;
                payload = null;
                headerFill = 0;
                sink.accept(m);
            }
        }
    }

    /** Whether part of a message has arrived and the rest has not. */
    boolean midMessage() {
        return headerFill > 0;
    }
}
