package org.hvsim.dom0.xenstore.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.dom0.xenstore.core.Connection;
import org.hvsim.dom0.xenstore.core.XenstoredCore;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/** A privileged in-test client of a core, called on the test thread (which plays the dispatch thread). */
final class Dom0Probe extends Connection {
    private final XenstoredCore core;
    private final List<XsMessage> replies = new ArrayList<>();
    private int reqId;

    Dom0Probe(XenstoredCore core) {
        super(core.domains().dom0());
        this.core = core;
        core.register(this);
    }

    /** Sends {@code args} as NUL-terminated strings plus a raw tail; fails unless the reply is a success. */
    byte[] ok(XsdSockmsgType type, String... args) {
        XsMessage r = call(type, XsPayload.cStrings(List.of(args)));
        assertEquals(type.number(), r.type(), () -> type + " " + List.of(args) + ": " + XsPayload.oneArg(r.payload()));
        return r.payload();
    }

    void write(String path, String value) {
        call(XsdSockmsgType.XS_WRITE, (path + "\0" + value).getBytes());
    }

    XsMessage call(XsdSockmsgType type, byte[] payload) {
        core.process(this, XsMessage.of(type.number(), ++reqId, 0, payload));
        return replies.getLast();
    }

    @Override
    protected void sendReply(XsMessage reply) {
        replies.add(reply);
    }

    @Override
    protected boolean sendEvent(XsMessage event) {
        return true;
    }

    @Override
    protected void closeTransport() {
    }
}
