package org.hvsim.domu.xenbus;

import java.util.Objects;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * A XenStore request failed: xenstored answered {@code XS_ERROR} with {@link #error()}, or the client refused
 * the request ({@code EINVAL}, {@code E2BIG}) or has lost its connection ({@code EIO}).
 */
public final class XenbusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final XsdError error;

    /** {@code what} failed with {@code error}; the message is {@code "what: ENAME"}. */
    public XenbusException(XsdError error, String what) {
        super(what + ": " + Objects.requireNonNull(error, "error").name(), null, false, false);
        this.error = error;
    }

    /** The error xenstored (or the client) gave. */
    public XsdError error() {
        return error;
    }
}
