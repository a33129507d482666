package org.hvsim.dom0.xenstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * Runs arbitrary requests through a core and checks what must hold whatever they are: exactly one
 * well-formed reply per request (its type or ERROR with a known name, req_id and tx_id echoed, payload
 * within the limit), no internal error (EIO), and a consistent store whose node accounting matches.
 */
final class RequestStreams {
    final CoreHarness h;
    final TestConnection[] conns;

    RequestStreams(CoreHarness h, TestConnection... conns) {
        this.h = h;
        this.conns = conns;
    }

    /** A core with dom0, domain 5 and domain 6 connected, /local/domain/5 laid out as libxl would. */
    static RequestStreams standard() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Client dom0 = h.dom0();
        CoreHarness.Client d5 = h.domU(5);
        CoreHarness.Client d6 = h.domU(6);
        dom0.write("/local/domain/5/data", "");
        dom0.setPerms("/local/domain/5", "n0", "r5");
        dom0.setPerms("/local/domain/5/data", "n5", "r6");
        return new RequestStreams(h, dom0.conn, d5.conn, d6.conn);
    }

    void process(int connection, XsMessage request) {
        int i = Math.floorMod(connection, conns.length);
        Domain d = h.core.domains().findIntroduced(conns[i].domid());
        if (i > 0 && d != null && d.connection() instanceof TestConnection current) {
            conns[i] = current;
        }
        TestConnection c = conns[i];
        int before = c.replies.size();
        h.core.process(c, request);
        if (c.closed()) {
            assertEquals(before, c.replies.size(), "a released domain's connection is not served");
            return;
        }
        assertEquals(before + 1, c.replies.size(), "exactly one reply");
        XsMessage r = c.replies.getLast();
        XsdSockmsg q = request.header();
        assertEquals(q.reqId(), r.header().reqId());
        assertEquals(q.txId(), r.header().txId());
        assertTrue(r.payload().length <= XsdSockmsg.XENSTORE_PAYLOAD_MAX);
        if (r.type() == XsdSockmsgType.XS_ERROR.number()) {
            String name = XsPayload.oneArg(r.payload());
            XsdError e = XsdError.valueOf(name);
            assertNotEquals(XsdError.EIO, e, "internal error for " + request);
        } else {
            assertEquals(q.type(), r.type());
        }
        for (XsMessage ev : c.events) {
            assertEquals(XsdSockmsgType.XS_WATCH_EVENT.number(), ev.type());
            assertEquals(2, XsPayload.countNuls(ev.payload()));
        }
        c.events.clear();
        c.replies.clear();
        c.all.clear();
    }

    void assertConsistent() {
        h.assertConsistent();
    }
}
