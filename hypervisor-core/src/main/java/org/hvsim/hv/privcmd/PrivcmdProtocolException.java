package org.hvsim.hv.privcmd;

/** A peer broke the privcmd protocol; the connection is closed for {@link #reason()}. */
final class PrivcmdProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final CloseReason reason;

    PrivcmdProtocolException(CloseReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    CloseReason reason() {
        return reason;
    }
}
