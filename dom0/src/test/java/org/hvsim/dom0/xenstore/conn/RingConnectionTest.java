package org.hvsim.dom0.xenstore.conn;

import static org.hvsim.hv.abi.xenstore.XenstoreDomainInterface.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.dom0.xenstore.core.Domain;
import org.hvsim.dom0.xenstore.core.Quota;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.dom0.xenstore.core.XenstoredCore;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A domain's ring served over heap memory: protocol, wrap-around, and a hostile guest. */
class RingConnectionTest {
    static final int PER_PASS = 4;

    final ManualExecutor dispatch = new ManualExecutor();
    final AtomicLong clock = new AtomicLong();
    final RateLimitedLog log = RateLimitedLog.standard(LoggerFactory.getLogger(RingConnectionTest.class));
    final XenstoredCore core = new XenstoredCore(d -> true, (d, g, p) -> {
        throw new IllegalStateException("no wire introduce here");
    }, log);
    Dom0Probe dom0;

    final class Guest {
        final int domid;
        final SegmentGuestMemory page = SegmentGuestMemory.allocate(4096);
        final GuestRing ring = new GuestRing(page);
        final AtomicInteger notified = new AtomicInteger();
        RingConnection conn;
        boolean unmapped;
        int reqId;

        Guest(int domid) {
            this.domid = domid;
            core.introduce(domid, 0, 1, (d, g, p) -> {
                conn = new RingConnection(core, d, page, notified::incrementAndGet, () -> unmapped = true, dispatch,
                        clock::get, log, PER_PASS);
                conn.start();
                return conn;
            });
            dom0.write("/local/domain/" + domid + "/data", "");
            dom0.ok(XsdSockmsgType.XS_SET_PERMS, "/local/domain/" + domid + "/data", "n" + domid);
        }

        XsMessage request(XsdSockmsgType type, String... args) {
            return XsMessage.of(type.number(), ++reqId, 0, XsPayload.cStrings(List.of(args)));
        }

        /** Sends one request and lets xenstored and the guest run until its reply is in. */
        List<XsMessage> call(XsdSockmsgType type, String... args) {
            return call(request(type, args));
        }

        List<XsMessage> call(XsMessage request) {
            assertTrue(ring.send(request));
            List<XsMessage> got = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                conn.eventArrived();
                dispatch.runAll();
                got.addAll(ring.receive());
                if (got.stream().anyMatch(m -> m.type() != XsdSockmsgType.XS_WATCH_EVENT.number())) {
                    break;
                }
            }
            return got;
        }

        /** WRITE {@code path|value}: the value without a NUL. */
        List<XsMessage> write(String path, String value) {
            return call(XsMessage.of(XsdSockmsgType.XS_WRITE.number(), ++reqId, 0, (path + "\0" + value).getBytes()));
        }

        Domain domain() {
            return core.domains().find(domid);
        }
    }

    @BeforeEach
    void setUp() {
        dom0 = new Dom0Probe(core);
    }

    @Test
    void introduceOffersFeaturesResetsIndicesAndSignals() {
        SegmentGuestMemory page = SegmentGuestMemory.allocate(4096);
        page.putInt(REQ_PROD, 77);
        page.putInt(RSP_CONS, 12);
        page.putInt(CONNECTION, XENSTORE_RECONNECT);
        AtomicInteger notified = new AtomicInteger();
        core.introduce(3, 0, 1, (d, g, p) -> {
            RingConnection r = new RingConnection(core, d, page, notified::incrementAndGet, () -> {}, dispatch,
                    clock::get, log, PER_PASS);
            r.start();
            return r;
        });
        assertEquals(RingConnection.OFFERED_FEATURES, page.getInt(SERVER_FEATURES));
        assertEquals(7, page.getInt(SERVER_FEATURES));
        assertEquals(0, page.getInt(REQ_PROD));
        assertEquals(0, page.getInt(RSP_CONS));
        assertEquals(XENSTORE_CONNECTED, page.getInt(CONNECTION));
        assertTrue(notified.get() > 0);
    }

    @Test
    void aRingInUseIsTakenOverThroughTheReconnectionHandshake() {
        Guest old = new Guest(5);
        old.call(XsdSockmsgType.XS_GET_DOMAIN_PATH, "5");
        assertTrue(old.page.getInt(RSP_PROD) > 0);
        // A restarted dom0: a fresh xenstored introduces the same page again.
        XenstoredCore fresh = new XenstoredCore(d -> true, (d, g, p) -> {
            throw new IllegalStateException("no wire introduce here");
        }, log);
        AtomicInteger notified = new AtomicInteger();
        RingConnection[] conn = new RingConnection[1];
        fresh.introduce(5, 0, 1, (d, g, p) -> {
            conn[0] = new RingConnection(fresh, d, old.page, notified::incrementAndGet, () -> {}, dispatch,
                    clock::get, log, PER_PASS);
            assertTrue(conn[0].start());
            return conn[0];
        });
        assertEquals(XENSTORE_RECONNECT, old.page.getInt(CONNECTION));
        assertEquals(0, old.page.getInt(REQ_PROD) | old.page.getInt(RSP_PROD) | old.page.getInt(RSP_CONS));
        assertEquals(1, notified.get());
        assertTrue(conn[0].awaitingGuest());
        // A request the guest wrote with its stale indices before it noticed is not served.
        old.ring.send(old.request(XsdSockmsgType.XS_GET_DOMAIN_PATH, "5"));
        assertEquals(XENSTORE_RECONNECT, old.page.getInt(CONNECTION));
        // The guest drops its copies and signals back: the ring is reset again and connected.
        conn[0].eventArrived();
        dispatch.runAll();
        assertFalse(conn[0].awaitingGuest());
        assertFalse(conn[0].broken());
        assertEquals(XENSTORE_CONNECTED, old.page.getInt(CONNECTION));
        assertEquals(0, old.page.getInt(REQ_PROD) | old.page.getInt(REQ_CONS));
        assertEquals(2, notified.get());
        GuestRing guest = new GuestRing(old.page);
        assertTrue(guest.send(old.request(XsdSockmsgType.XS_GET_DOMAIN_PATH, "5")));
        conn[0].eventArrived();
        dispatch.runAll();
        assertEquals(1, guest.receive().size());
    }

    @Test
    void aFreshRingIsConnectedAtOnce() {
        Guest g = new Guest(5);
        assertFalse(g.conn.awaitingGuest());
        assertEquals(XENSTORE_CONNECTED, g.page.getInt(CONNECTION));
    }

    @Test
    void requestsAndRepliesRoundTrip() {
        Guest g = new Guest(5);
        List<XsMessage> r = g.call(XsdSockmsgType.XS_GET_DOMAIN_PATH, "5");
        assertEquals(1, r.size());
        assertArrayEquals("/local/domain/5\0".getBytes(), r.getFirst().payload());
        assertEquals(1, r.getFirst().header().reqId());
        g.write("data/x", "");
        List<XsMessage> read = g.call(XsdSockmsgType.XS_READ, "data/x");
        assertArrayEquals(new byte[0], read.getFirst().payload());
        assertTrue(g.notified.get() >= 3);
    }

    @Test
    void watchEventsArriveOnTheRingBetweenReplies() {
        Guest g = new Guest(5);
        List<XsMessage> r = g.call(XsdSockmsgType.XS_WATCH, "data", "tok");
        assertEquals(List.of(XsdSockmsgType.XS_WATCH.number(), XsdSockmsgType.XS_WATCH_EVENT.number()),
                r.stream().map(XsMessage::type).toList());
        dom0.write("/local/domain/5/data/n", "1");
        dispatch.runAll();
        List<XsMessage> ev = g.ring.receive();
        assertEquals(1, ev.size());
        assertArrayEquals("data/n\0tok\0".getBytes(), ev.getFirst().payload());
    }

    @Test
    void messagesLargerThanTheRingAndIndicesWrappingAround() {
        Guest g = new Guest(5);
        String value = "v".repeat(1900);
        byte[] bytes = XsMessage.of(XsdSockmsgType.XS_WRITE.number(), 1, 0, ("data/big\0" + value).getBytes()).encode();
        int off = 0;
        while (off < bytes.length) {
            off += g.ring.write(bytes, off, bytes.length - off);
            g.conn.eventArrived();
            dispatch.runAll();
        }
        assertEquals(XsdSockmsgType.XS_WRITE.number(), g.ring.receive().getFirst().type());
        for (int i = 0; i < 300; i++) {
            List<XsMessage> r = g.call(XsdSockmsgType.XS_READ, "data/big");
            assertEquals(value, new String(r.getFirst().payload()));
        }
        assertTrue(Integer.toUnsignedLong(g.page.getInt(RSP_PROD)) > 10 * XENSTORE_RING_SIZE);
    }

    @Test
    void bogusRequestIndicesBreakOnlyThatConnection() {
        Guest bad = new Guest(5);
        Guest good = new Guest(6);
        bad.call(XsdSockmsgType.XS_WATCH, "data", "t");
        bad.page.putIntRelease(REQ_PROD, bad.page.getInt(REQ_CONS) + XENSTORE_RING_SIZE + 1);
        bad.conn.eventArrived();
        dispatch.runAll();
        assertEquals(XENSTORE_ERROR_RINGIDX, bad.page.getInt(ERROR));
        assertTrue(bad.conn.broken());
        assertEquals(0, bad.domain().usage(Quota.WATCHES), "its watches are gone");
        bad.page.putIntRelease(REQ_PROD, bad.page.getInt(REQ_CONS));
        assertFalse(bad.ring.send(bad.request(XsdSockmsgType.XS_READ, "data")) && !bad.call(XsdSockmsgType.XS_READ, "data").isEmpty(),
                "a broken connection is not served");
        assertEquals(1, good.call(XsdSockmsgType.XS_GET_DOMAIN_PATH, "6").size());
    }

    @Test
    void bogusResponseIndicesBreakTheConnection() {
        Guest g = new Guest(5);
        g.page.putIntRelease(RSP_CONS, 5000);
        assertTrue(g.ring.send(g.request(XsdSockmsgType.XS_GET_DOMAIN_PATH, "5")));
        g.conn.eventArrived();
        dispatch.runAll();
        assertEquals(XENSTORE_ERROR_RINGIDX, g.page.getInt(ERROR));
        assertEquals(0, g.domain().usage(Quota.OUTSTANDING));
        assertEquals(0, g.conn.queuedBytes());
    }

    @Test
    void oversizedHeaderIsAProtocolError() {
        Guest g = new Guest(5);
        byte[] header = new XsdSockmsg(XsdSockmsgType.XS_WRITE.number(), 1, 0, 4097).toBytes();
        g.ring.write(header, 0, header.length);
        g.conn.eventArrived();
        dispatch.runAll();
        assertEquals(XENSTORE_ERROR_PROTO, g.page.getInt(ERROR));
        assertTrue(g.conn.broken());
    }

    @Test
    void floodingDomainGetsABoundedShareOfEachRound() {
        Guest flood = new Guest(5);
        Guest quiet = new Guest(6);
        int sent = 0;
        while (flood.ring.send(flood.request(XsdSockmsgType.XS_GET_DOMAIN_PATH, "5"))) {
            sent++;
        }
        assertTrue(sent > 3 * PER_PASS, "sent " + sent);
        assertTrue(quiet.ring.send(quiet.request(XsdSockmsgType.XS_GET_DOMAIN_PATH, "6")));
        flood.conn.eventArrived();
        quiet.conn.eventArrived();
        dispatch.runOne();
        assertEquals(PER_PASS, flood.ring.receive().size());
        dispatch.runOne();
        assertEquals(1, quiet.ring.receive().size(), "the quiet domain is served in the same round");
        int rest = 0;
        for (int i = 0; i < 100 && rest < sent - PER_PASS; i++) {
            dispatch.runAll();
            rest += flood.ring.receive().size();
            flood.conn.eventArrived();
        }
        assertEquals(sent - PER_PASS, rest);
    }

    @Test
    void aGuestThatNeverReadsRepliesCannotGrowDom0Memory() {
        Guest hog = new Guest(5);
        Guest other = new Guest(6);
        dom0.write("/pub", "");
        dom0.ok(XsdSockmsgType.XS_SET_PERMS, "/pub", "r0");
        dom0.write("/pub/v", "x".repeat(2000));
        hog.call(XsdSockmsgType.XS_WATCH, "/pub", "t");
        long limit = 64 * 1024;
        hog.domain().setOverride(Quota.MEMORY, false, limit);
        long outstanding = hog.domain().hardLimit(Quota.OUTSTANDING);
        byte[] request = hog.request(XsdSockmsgType.XS_READ, "/pub/v").encode();
        long maxMemory = 0;
        for (int round = 0; round < 3000; round++) {
            hog.ring.write(request, 0, request.length);
            hog.conn.eventArrived();
            dom0.write("/pub/e" + round, "y");
            dispatch.runAll();
            maxMemory = Math.max(maxMemory, hog.domain().usage(Quota.MEMORY));
            assertTrue(hog.domain().usage(Quota.OUTSTANDING) <= outstanding);
        }
        assertTrue(maxMemory <= limit + 2 * 4112, "memory " + maxMemory);
        assertTrue(hog.conn.queuedBytes() <= limit);
        assertTrue(hog.ring.pendingRequestBytes() > 0, "xenstored stopped reading the hog's requests");
        assertEquals(1, other.call(XsdSockmsgType.XS_GET_DOMAIN_PATH, "6").size(), "others are unaffected");
        int replies = 0;
        for (int i = 0; i < 10_000 && (hog.conn.queuedBytes() > 0 || hog.ring.pendingRequestBytes() > 0); i++) {
            for (XsMessage m : hog.ring.receive()) {
                replies += m.type() == XsdSockmsgType.XS_READ.number() ? 1 : 0;
            }
            hog.conn.eventArrived();
            dispatch.runAll();
        }
        assertTrue(replies > outstanding, "reading the replies lets requests through again: " + replies);
        assertEquals(0, hog.domain().usage(Quota.OUTSTANDING));
    }

    @Test
    void unreadWatchEventsExpireAfterTwentySeconds() {
        Guest g = new Guest(5);
        g.call(XsdSockmsgType.XS_WATCH, "data", "t");
        g.page.putIntRelease(RSP_CONS, g.page.getInt(RSP_PROD) - XENSTORE_RING_SIZE);
        dom0.write("/local/domain/5/data/a", "1");
        dispatch.runAll();
        int queued = g.conn.queuedBytes();
        assertTrue(queued > 0);
        clock.addAndGet(RingConnection.EVENT_TIMEOUT_NS + 1);
        g.page.putIntRelease(RSP_CONS, g.page.getInt(RSP_PROD));
        g.conn.eventArrived();
        dispatch.runAll();
        assertEquals(0, g.conn.queuedBytes());
        assertTrue(g.ring.receive().isEmpty(), "the stale event was dropped, not delivered");
    }

    @Test
    void guestRequestedReconnectResetsEverything() {
        Guest g = new Guest(5);
        g.call(XsdSockmsgType.XS_WATCH, "data", "t");
        g.call(XsdSockmsgType.XS_TRANSACTION_START, "");
        byte[] partial = g.request(XsdSockmsgType.XS_READ, "data").encode();
        g.ring.write(partial, 0, 10);
        g.page.putIntRelease(CONNECTION, XENSTORE_RECONNECT);
        g.conn.eventArrived();
        dispatch.runAll();
        assertEquals(XENSTORE_CONNECTED, g.page.getInt(CONNECTION));
        assertEquals(0, g.page.getInt(REQ_PROD));
        assertEquals(0, g.page.getInt(RSP_PROD));
        assertEquals(0, g.domain().usage(Quota.WATCHES));
        assertEquals(0, g.domain().usage(Quota.TRANSACTIONS));
        GuestRing fresh = new GuestRing(g.page);
        assertTrue(fresh.send(g.request(XsdSockmsgType.XS_GET_DOMAIN_PATH, "5")));
        g.conn.eventArrived();
        dispatch.runAll();
        assertEquals(1, fresh.receive().size());
    }

    @Test
    void releaseUnmapsAndStopsServing() {
        Guest g = new Guest(5);
        core.release(5);
        assertTrue(g.unmapped);
        assertTrue(g.ring.send(g.request(XsdSockmsgType.XS_GET_DOMAIN_PATH, "5")));
        g.conn.eventArrived();
        dispatch.runAll();
        assertTrue(g.ring.receive().isEmpty());
    }
}
