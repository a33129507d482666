package org.hvsim.dom0.xenstore.store;

import java.util.Objects;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * A request failed with one of xenstored's errors ({@code xsd_errors}); on the wire it becomes an
 * {@code XS_ERROR} reply carrying the error's name. Thrown for a sender's bad input or a refused
 * operation, so it carries no stack trace.
 */
public final class XenstoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final XsdError error;

    public XenstoreException(XsdError error, String message) {
        super(error.name() + ": " + message, null, false, false);
        this.error = Objects.requireNonNull(error);
    }

    public XenstoreException(XsdError error) {
        super(error.name(), null, false, false);
        this.error = Objects.requireNonNull(error);
    }

    /** The error sent to the client. */
    public XsdError error() {
        return error;
    }
}
