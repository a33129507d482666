package org.hvsim.dom0.xenstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvsim.dom0.xenstore.conn.GuestRing;
import org.hvsim.dom0.xenstore.conn.XsSocketClient;
import org.hvsim.dom0.xenstore.core.Quota;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.xenstore.XenstoreDomainInterface;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade as the toolstack uses it: in-process client, domain lifecycle, quotas, rings, shutdown. */
class XenstoredTest {
    static final long TIMEOUT_NS = 20_000_000_000L;

    @TempDir
    Path dir;
    final AtomicInteger unmapped = new AtomicInteger();
    final List<SegmentGuestMemory> mapped = new ArrayList<>();
    final Xenstored xs = Xenstored.builder().introducer((domid, gfn, port, onEvent) -> {
        if (port == 13) {
            throw new XenstoreException(XsdError.ENOENT, "no such port");
        }
        SegmentGuestMemory page = SegmentGuestMemory.allocate(4096);
        mapped.add(page);
        return new IntroducedRing(page, () -> {}, unmapped::incrementAndGet);
    }).build();

    @AfterEach
    void close() {
        xs.close();
    }

    private static List<XsMessage> awaitReplies(GuestRing ring, int n) {
        List<XsMessage> got = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT_NS;
        while (got.size() < n && System.nanoTime() < deadline) {
            got.addAll(ring.receive());
            Thread.onSpinWait();
        }
        assertEquals(n, got.size(), "replies in time");
        return got;
    }

    @Test
    void clientReadsWritesListsAndSetsPermissions() {
        try (XenstoreClient c = xs.client()) {
            c.write("/vm/u/name", "guest");
            c.write("/vm/u/raw", new byte[] {0, 1, 2});
            assertEquals("guest", c.readString("/vm/u/name"));
            assertArrayEquals(new byte[] {0, 1, 2}, c.read("/vm/u/raw"));
            assertEquals(List.of("name", "raw"), c.directory("/vm/u"));
            c.mkdir("/vm/u/empty");
            c.setPerms("/vm/u", List.of(XsPermission.parse("n0"), XsPermission.parse("r4")));
            assertEquals(List.of(XsPermission.parse("n0"), XsPermission.parse("r4")), c.getPerms("/vm/u"));
            assertTrue(c.exists("/vm/u/empty"));
            c.rm("/vm/u");
            assertFalse(c.exists("/vm/u"));
            XenstoreException e = assertThrows(XenstoreException.class, () -> c.read("/vm/u"));
            assertEquals(XsdError.ENOENT, e.error());
            assertEquals("/local/domain/3", c.getDomainPath(3));
            assertTrue(c.isDomainIntroduced(0));
            assertTrue(c.control("quota").startsWith("Quota settings:\n"));
        }
    }

    @Test
    void directoryTooLargeForOneReplyIsReadInParts() {
        try (XenstoreClient c = xs.client()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                names.add("some-long-child-name-" + i);
                c.write("/many/" + names.getLast(), "");
            }
            assertEquals(names, c.directory("/many"));
        }
    }

    @Test
    void transactionsRetryOnConflict() {
        try (XenstoreClient a = xs.client(); XenstoreClient b = xs.client()) {
            a.write("/counter", "0");
            AtomicInteger attempts = new AtomicInteger();
            int result = a.transaction(t -> {
                int v = Integer.parseInt(t.readString("/counter"));
                if (attempts.incrementAndGet() == 1) {
                    b.write("/counter", "10");
                }
                t.write("/counter", Integer.toString(v + 1));
                return v + 1;
            });
            assertEquals(2, attempts.get());
            assertEquals(11, result);
            assertEquals("11", a.readString("/counter"));
            XenstoreTransaction t = a.transactionStart();
            t.write("/counter", "99");
            t.abort();
            assertEquals("11", a.readString("/counter"));
            assertThrows(IllegalStateException.class, () -> t.read("/counter"));
        }
    }

    @Test
    void watchListenerGetsEventsInOrder() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (XenstoreClient c = xs.client(); XenstoreClient other = xs.client()) {
            c.watch("/w", "tok", (path, token) -> events.add(path + " " + token));
            assertEquals("/w tok", events.poll(20, TimeUnit.SECONDS));
            other.write("/w/a", "1");
            other.write("/w/b", "2");
            assertEquals("/w/a tok", events.poll(20, TimeUnit.SECONDS));
            assertEquals("/w/b tok", events.poll(20, TimeUnit.SECONDS));
            c.unwatch("/w", "tok");
            other.write("/w/c", "3");
            c.write("/sync", "");
            assertNull(events.poll());
            assertThrows(IllegalArgumentException.class, () -> c.watch("/x", "tok", (p, t) -> {}));
        }
    }

    @Test
    void domainLifecycleFromTheToolstack() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (XenstoreClient c = xs.client()) {
            c.watch("@introduceDomain", "in", (p, t) -> events.add(p));
            c.watch("@releaseDomain", "out", (p, t) -> events.add(p));
            assertEquals("@introduceDomain", events.poll(20, TimeUnit.SECONDS));
            assertEquals("@releaseDomain", events.poll(20, TimeUnit.SECONDS));
            SegmentGuestMemory page = SegmentGuestMemory.allocate(4096);
            AtomicInteger signals = new AtomicInteger();
            xs.introduce(5, 1234, 3, page, signals::incrementAndGet);
            assertEquals("@introduceDomain", events.poll(20, TimeUnit.SECONDS));
            assertTrue(xs.isIntroduced(5));
            assertEquals(7, page.getInt(XenstoreDomainInterface.SERVER_FEATURES));
            GuestRing ring = new GuestRing(page);
            assertTrue(ring.send(XsMessage.of(XsdSockmsgType.XS_GET_DOMAIN_PATH.number(), 1, 0, "5\0".getBytes())));
            xs.eventArrived(5);
            assertEquals("/local/domain/5", XsSocketClient.text(awaitReplies(ring, 1).getFirst()));
            assertTrue(signals.get() > 0);
            xs.domainShutdown(5);
            assertEquals("@releaseDomain", events.poll(20, TimeUnit.SECONDS));
            xs.domainShutdown(5);
            xs.release(5);
            assertEquals("@releaseDomain", events.poll(20, TimeUnit.SECONDS));
            assertFalse(xs.isIntroduced(5));
            assertEquals(XsdError.ENOENT, assertThrows(XenstoreException.class, () -> xs.release(5)).error());
        }
    }

    @Test
    void introduceOverTheSocketUsesTheIntroducer() throws Exception {
        xs.start(dir.resolve("socket"));
        try (XsSocketClient c = XsSocketClient.connect(dir.resolve("socket"))) {
            assertEquals("OK", XsSocketClient.text(c.call(XsdSockmsgType.XS_INTRODUCE, 0, "9", "77", "2")));
            assertTrue(xs.isIntroduced(9));
            GuestRing ring = new GuestRing(mapped.getFirst());
            assertTrue(ring.send(XsMessage.of(XsdSockmsgType.XS_GET_DOMAIN_PATH.number(), 1, 0, "9\0".getBytes())));
            xs.eventArrived(9);
            assertEquals("/local/domain/9", XsSocketClient.text(awaitReplies(ring, 1).getFirst()));
            assertEquals("ENOENT", XsSocketClient.text(c.call(XsdSockmsgType.XS_INTRODUCE, 0, "10", "77", "13")));
            assertEquals("OK", XsSocketClient.text(c.call(XsdSockmsgType.XS_RELEASE, 0, "9")));
            assertEquals(1, unmapped.get());
        }
    }

    @Test
    void quotasFromTheDomainConfig() {
        xs.setQuotas(6, List.of("nodes=2000", "soft-memory=100", "watches = 3"));
        assertEquals(2000L, (long) xs.withCore(core -> core.domains().find(6).hardLimit(Quota.NODES)));
        assertEquals(100L, (long) xs.withCore(core -> core.domains().find(6).softLimit(Quota.MEMORY)));
        assertEquals(3L, (long) xs.withCore(core -> core.domains().find(6).hardLimit(Quota.WATCHES)));
        assertThrows(IllegalArgumentException.class, () -> xs.setQuotas(6, List.of("nodes=1", "bogus=2")));
        assertEquals(2000L, (long) xs.withCore(core -> core.domains().find(6).hardLimit(Quota.NODES)),
                "nothing applied when one item is bad");
        assertThrows(IllegalArgumentException.class, () -> xs.setQuota(6, "soft-nodes", 1));
        assertThrows(IllegalArgumentException.class, () -> xs.setQuotas(6, List.of("nodes")));
        assertThrows(IllegalArgumentException.class, () -> xs.setQuotas(6, List.of("nodes=-1")));
        xs.setQuota(6, "path-max", 0);
        assertEquals(0L, (long) xs.withCore(core -> core.domains().find(6).hardLimit(Quota.PATH_MAX)));
        xs.setGlobalQuota("watches", 5);
        assertEquals(5L, (long) xs.withCore(core -> core.quotas().hard(Quota.WATCHES)));
    }

    @Test
    void callsOnTheDispatchThreadAreRefused() {
        try (XenstoreClient c = xs.client()) {
            IllegalStateException e = xs.withCore(core -> {
                try {
                    c.read("/");
                    return null;
                } catch (IllegalStateException ex) {
                    return ex;
                }
            });
            assertTrue(e.getMessage().contains("own thread"), e.getMessage());
        }
    }

    @Test
    void closeUnmapsEveryRingAndRefusesLaterCalls() throws Exception {
        xs.start(dir.resolve("socket"));
        try (XsSocketClient c = XsSocketClient.connect(dir.resolve("socket"))) {
            c.call(XsdSockmsgType.XS_INTRODUCE, 0, "4", "1", "1");
        }
        XenstoreClient client = xs.client();
        xs.close();
        assertEquals(1, unmapped.get());
        assertFalse(java.nio.file.Files.exists(dir.resolve("socket")));
        assertThrows(IllegalStateException.class, () -> client.read("/"));
        assertThrows(IllegalStateException.class, xs::client);
    }
}
