package org.hvsim.dom0.xenstore.core;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.dom0.xenstore.wire.XsMessage;

/** A connection that keeps what xenstored sends it: replies and watch events, in order. */
final class TestConnection extends Connection {
    final List<XsMessage> replies = new ArrayList<>();
    final List<XsMessage> events = new ArrayList<>();
    /** Replies and events interleaved as they were sent. */
    final List<XsMessage> all = new ArrayList<>();
    boolean transportClosed;

    TestConnection(Domain domain) {
        super(domain);
    }

    @Override
    protected void sendReply(XsMessage reply) {
        replies.add(reply);
        all.add(reply);
    }

    @Override
    protected boolean sendEvent(XsMessage event) {
        events.add(event);
        all.add(event);
        return true;
    }

    @Override
    protected void closeTransport() {
        transportClosed = true;
    }
}
