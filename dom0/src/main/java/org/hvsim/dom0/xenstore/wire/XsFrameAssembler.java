package org.hvsim.dom0.xenstore.wire;

import java.util.Objects;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/**
 * Turns an inbound byte stream, delivered in pieces of any size, into whole messages: first the 16-byte
 * header, then exactly {@code len} payload bytes. A header announcing more than
 * {@code XENSTORE_PAYLOAD_MAX} bytes is a protocol violation (C xenstored drops such a connection); the
 * payload buffer is allocated only after that check, so a peer can never make it allocate more than
 * 4096 bytes. Not thread-safe: one per connection, used by its reader.
 */
public final class XsFrameAssembler {
    private final byte[] header = new byte[XsdSockmsg.SIZE];
    private int headerUsed;
    private XsdSockmsg pending;
    private byte[] payload;
    private int payloadUsed;
    private XsMessage complete;
    private XsFrameException failed;

    /** Bytes the current message still needs; 0 when a complete message waits in {@link #take()}. */
    public int needed() {
        if (complete != null || failed != null) {
            return 0;
        }
        return pending == null ? XsdSockmsg.SIZE - headerUsed : payload.length - payloadUsed;
    }

    /** Whether a message has been started but not completed. */
    public boolean partial() {
        return complete == null && (headerUsed > 0 || pending != null);
    }

    /**
     * Offers bytes; takes at most {@link #needed()} of them.
     *
     * @return the number of bytes taken
     * @throws XsFrameException if a completed header announces an oversized payload (then and on every
     *     later call: the stream cannot be resynchronised)
     */
    public int feed(byte[] src, int off, int len) throws XsFrameException {
        Objects.checkFromIndexSize(off, len, src.length);
        if (failed != null) {
            throw failed;
        }
        int n = Math.min(len, needed());
        if (n == 0) {
            return 0;
        }
        if (pending == null) {
            System.arraycopy(src, off, header, headerUsed, n);
            headerUsed += n;
            if (headerUsed == XsdSockmsg.SIZE) {
                XsdSockmsg h = XsdSockmsg.read(header, 0);
                if (h.lenUnsigned() > XsdSockmsg.XENSTORE_PAYLOAD_MAX) {
                    failed = new XsFrameException("payload of " + h.lenUnsigned() + " bytes exceeds "
                            + XsdSockmsg.XENSTORE_PAYLOAD_MAX);
                    throw failed;
                }
                pending = h;
                payload = new byte[h.len()];
                payloadUsed = 0;
                finishIfDone();
            }
        } else {
            System.arraycopy(src, off, payload, payloadUsed, n);
            payloadUsed += n;
            finishIfDone();
        }
        return n;
    }

    private void finishIfDone() {
        if (pending != null && payloadUsed == payload.length) {
            complete = new XsMessage(pending, payload);
            pending = null;
            payload = null;
            headerUsed = 0;
        }
    }

    /** The completed message (clearing it), or {@code null} if none is complete. */
    public XsMessage take() {
        XsMessage m = complete;
        complete = null;
        return m;
    }

    /** Drops any partial or completed message and any earlier failure. */
    public void reset() {
        failed = null;
        headerUsed = 0;
        pending = null;
        payload = null;
        payloadUsed = 0;
        complete = null;
    }
}
