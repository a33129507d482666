package org.hvsim.dom0.xenstore.core;

import static org.hvsim.hv.abi.xenstore.XsdSockmsgType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.Test;

/** The request table: ENOSYS, EACCES for privileged types, ENOENT for unknown transactions, echoing. */
class DispatcherTest {
    final CoreHarness h = new CoreHarness();
    final CoreHarness.Client dom0 = h.dom0();

    @Test
    void typesWithoutHandlerAreEnosys() {
        int[] types = {XS_WATCH_EVENT.number(), XS_ERROR.number(), 20, XS_SET_TARGET.number(), XS_GET_FEATURE.number(),
                XS_SET_FEATURE.number(), XS_GET_QUOTA.number(), XS_SET_QUOTA.number(), 27, 0xffff, -1};
        for (int t : types) {
            XsMessage r = dom0.send(t, 0, "x\0".getBytes());
            assertEquals(XsdError.ENOSYS, CoreHarness.errorOf(r), "type " + t);
        }
    }

    @Test
    void privilegedTypesFromADomainAreEacces() {
        CoreHarness.Client d3 = h.domU(3);
        for (var t : new org.hvsim.hv.abi.xenstore.XsdSockmsgType[] {XS_CONTROL, XS_INTRODUCE, XS_RELEASE,
                XS_IS_DOMAIN_INTRODUCED, XS_RESUME}) {
            assertEquals(XsdError.EACCES, d3.error(t, "3"), t.name());
        }
        assertEquals("/local/domain/7", new String(d3.ok(XS_GET_DOMAIN_PATH, "7")).replace("\0", ""));
    }

    @Test
    void unknownTransactionIsEnoentExceptForWatches() {
        assertEquals(XsdError.ENOENT, CoreHarness.errorOf(dom0.send(XS_READ.number(), 42, "/tool\0".getBytes())));
        assertEquals(XsdError.ENOENT, CoreHarness.errorOf(dom0.send(XS_GET_DOMAIN_PATH.number(), 42, "1\0".getBytes())));
        XsMessage w = dom0.send(XS_WATCH.number(), 42, "/tool\0tok\0".getBytes());
        assertEquals(XS_WATCH.number(), w.type());
        assertEquals(42, w.header().txId());
        XsMessage u = dom0.send(XS_UNWATCH.number(), 42, "/tool\0tok\0".getBytes());
        assertEquals(XS_UNWATCH.number(), u.type());
    }

    @Test
    void errorRepliesEchoReqIdAndTxId() {
        int tx = dom0.start();
        XsMessage r = dom0.send(XS_READ.number(), tx, "/missing\0".getBytes());
        assertEquals(XsdError.ENOENT, CoreHarness.errorOf(r));
        assertEquals(tx, r.header().txId());
        assertEquals(XS_ERROR.number(), r.type());
    }

    @Test
    void closedConnectionsAreNotServed() {
        h.core.unregister(dom0.conn);
        int before = dom0.conn.replies.size();
        h.core.process(dom0.conn, XsMessage.of(XS_READ.number(), 1, 0, "/tool\0".getBytes()));
        assertEquals(before, dom0.conn.replies.size());
        assertEquals(true, dom0.conn.transportClosed);
    }
}
