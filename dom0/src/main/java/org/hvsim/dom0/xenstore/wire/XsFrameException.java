package org.hvsim.dom0.xenstore.wire;

/** A peer sent a header announcing a payload over {@code XENSTORE_PAYLOAD_MAX}: its connection is dropped. */
public final class XsFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    public XsFrameException(String message) {
        super(message, null, false, false);
    }
}
