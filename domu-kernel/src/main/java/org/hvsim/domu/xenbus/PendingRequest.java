package org.hvsim.domu.xenbus;

import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * A request sent and not yet answered, by {@code req_id}. The event handler completes it; the vCPU that sent
 * it waits for that.
 *
 * <p>Threads: completed on the vCPU taking the store port's events, read by the requesting vCPU (volatile).
 */
final class PendingRequest {
    private final int reqId;
    private final XsdSockmsgType type;
    private volatile XsMessage reply;

    PendingRequest(int reqId, XsdSockmsgType type) {
        this.reqId = reqId;
        this.type = type;
    }

    int reqId() {
        return reqId;
    }

    XsdSockmsgType type() {
        return type;
    }

    void complete(XsMessage m) {
        reply = m;
    }

    /** The reply, or null while there is none. */
    XsMessage reply() {
        return reply;
    }
}
