package org.hvsim.dom0.xenstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.hvsim.dom0.xenstore.store.StoreCheck;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;
import org.slf4j.LoggerFactory;

/** A xenstored core driven directly by the test thread, with clients that speak the wire protocol. */
final class CoreHarness {
    final XenstoredCore core;

    CoreHarness() {
        this(d -> true);
    }

    CoreHarness(IntPredicate exists) {
        core = new XenstoredCore(exists, (d, gfn, port) -> new TestConnection(d),
                RateLimitedLog.standard(LoggerFactory.getLogger(CoreHarness.class)));
    }

    /** A privileged client (like a socket connection). */
    Client dom0() {
        TestConnection c = new TestConnection(core.domains().dom0());
        core.register(c);
        return new Client(c);
    }

    /** Introduces domain {@code domid} and returns a client on its ring. */
    Client domU(int domid) {
        core.introduce(domid, 0, 1, (d, gfn, port) -> new TestConnection(d));
        return new Client((TestConnection) core.domains().find(domid).connection());
    }

    /** Asserts that the store is consistent and the node accounting matches it. */
    void assertConsistent() {
        StoreCheck before = StoreCheck.run(core.store());
        assertEquals(true, before.clean(), before.toString());
        for (Domain d : core.domains().all()) {
            assertEquals((long) before.ownedNodes().getOrDefault(d.domid(), 0), d.usage(Quota.NODES),
                    "nodes of domain " + d.domid());
        }
    }

    final class Client {
        final TestConnection conn;
        int nextReqId = 1;
        int tx;

        Client(TestConnection conn) {
            this.conn = conn;
        }

        /** Sends a request and returns xenstored's reply to it. */
        XsMessage send(XsdSockmsgType type, byte[] payload) {
            return send(type.number(), tx, payload);
        }

        XsMessage send(int type, int txId, byte[] payload) {
            int reqId = nextReqId++;
            int before = conn.replies.size();
            core.process(conn, XsMessage.of(type, reqId, txId, payload));
            assertEquals(before + 1, conn.replies.size(), "one reply per request");
            XsMessage r = conn.replies.getLast();
            assertEquals(reqId, r.header().reqId());
            assertEquals(txId, r.header().txId());
            return r;
        }

        /** Sends {@code args} as NUL-terminated strings. */
        XsMessage send(XsdSockmsgType type, String... args) {
            return send(type, XsPayload.cStrings(List.of(args)));
        }

        /** The reply payload; fails if the reply is an error. */
        byte[] ok(XsdSockmsgType type, String... args) {
            XsMessage r = send(type, args);
            assertEquals(type.number(), r.type(), () -> "error " + XsPayload.oneArg(r.payload()));
            return r.payload();
        }

        /** The error of the reply; fails if it is not an error. */
        XsdError error(XsdSockmsgType type, String... args) {
            return errorOf(send(type, args));
        }

        XsdError error(XsdSockmsgType type, byte[] payload) {
            return errorOf(send(type, payload));
        }

        String read(String path) {
            byte[] v = ok(XsdSockmsgType.XS_READ, path);
            return XsPayload.latin1(v, 0, v.length);
        }

        void write(String path, String value) {
            byte[] p = XsPayload.cString(path);
            byte[] v = XsPayload.latin1(value);
            byte[] payload = new byte[p.length + v.length];
            System.arraycopy(p, 0, payload, 0, p.length);
            System.arraycopy(v, 0, payload, p.length, v.length);
            XsMessage r = send(XsdSockmsgType.XS_WRITE, payload);
            assertEquals(XsdSockmsgType.XS_WRITE.number(), r.type(), () -> "write " + path + ": "
                    + XsPayload.oneArg(r.payload()));
        }

        XsdError writeError(String path, String value) {
            byte[] p = XsPayload.cString(path);
            byte[] v = XsPayload.latin1(value);
            byte[] payload = new byte[p.length + v.length];
            System.arraycopy(p, 0, payload, 0, p.length);
            System.arraycopy(v, 0, payload, p.length, v.length);
            return errorOf(send(XsdSockmsgType.XS_WRITE, payload));
        }

        List<String> directory(String path) {
            return XsPayload.strings(ok(XsdSockmsgType.XS_DIRECTORY, path));
        }

        void setPerms(String path, String... perms) {
            List<String> args = new ArrayList<>();
            args.add(path);
            args.addAll(List.of(perms));
            ok(XsdSockmsgType.XS_SET_PERMS, args.toArray(String[]::new));
        }

        List<String> perms(String path) {
            return XsPayload.strings(ok(XsdSockmsgType.XS_GET_PERMS, path));
        }

        void watch(String path, String token) {
            ok(XsdSockmsgType.XS_WATCH, path, token);
        }

        /** Starts a transaction; later requests of this client run in it until {@link #end}. */
        int start() {
            tx = 0;
            byte[] r = ok(XsdSockmsgType.XS_TRANSACTION_START, "");
            tx = Integer.parseInt(XsPayload.oneArg(r));
            return tx;
        }

        /** Ends the current transaction; returns the error, or {@code null} on success. */
        XsdError end(boolean commit) {
            XsMessage r = send(XsdSockmsgType.XS_TRANSACTION_END, commit ? "T" : "F");
            tx = 0;
            return r.type() == XsdSockmsgType.XS_ERROR.number() ? errorOf(r) : null;
        }

        /** The watch events received so far as "path token" strings, and forgets them. */
        List<String> takeEvents() {
            List<String> out = new ArrayList<>();
            for (XsMessage m : conn.events) {
                List<String> s = XsPayload.strings(m.payload());
                out.add(s.get(0) + " " + s.get(1));
            }
            conn.events.clear();
            return out;
        }
    }

    static XsdError errorOf(XsMessage r) {
        assertEquals(XsdSockmsgType.XS_ERROR.number(), r.type(), "expected an error reply");
        assertEquals(0, r.payload()[r.payload().length - 1], "error name ends with NUL");
        return XsdError.valueOf(XsPayload.oneArg(r.payload()));
    }
}
