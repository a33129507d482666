package org.hvsim.domu.xenbus;

/**
 * xenstored broke the ring protocol (indices that put more than a ring between producer and consumer, a
 * message longer than {@code XENSTORE_PAYLOAD_MAX}): the connection cannot be trusted any more, so the client
 * stops using it and fails every request with {@code EIO}.
 */
public final class XsProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XsProtocolException(String message) {
        super(message, null, false, false);
    }
}
