package org.hvsim.domu.xenbus;

import static org.hvsim.domu.xenbus.XenbusTransaction.NIL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.hv.abi.xenstore.XenstoreDomainInterface;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a xenstored serving the ring from another thread: requests, replies, errors, framing. */
class XenbusClientTest {
    private XenbusRig rig;

    private XenbusRig rig() {
        if (rig == null) {
            rig = new XenbusRig();
        }
        return rig;
    }

    @AfterEach
    void close() throws InterruptedException {
        if (rig != null) {
            assertEquals(List.of(), rig.xenstored.problems(), "the client broke the protocol");
            rig.close();
        }
    }

    private XenbusException error(Runnable r) {
        return assertThrows(XenbusException.class, r::run);
    }

    @Test
    void readWriteMkdirDirectoryRmAndTheDomainPath() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        c.write(cpu, NIL, "data/hello", "world");
        assertEquals("world", c.read(cpu, NIL, "data/hello"));
        assertEquals("world", c.read(cpu, NIL, "/local/domain/7/data/hello"), "relative paths are under the home");
        c.mkdir(cpu, NIL, "data/dir");
        assertEquals(List.of("dir", "hello"), c.directory(cpu, NIL, "data"));
        assertEquals("", c.read(cpu, NIL, "data/dir"));
        c.rm(cpu, NIL, "data/dir");
        assertEquals(List.of("hello"), c.directory(cpu, NIL, "data"));
        assertEquals(List.of(), c.directory(cpu, NIL, "data/hello"));
        assertEquals("/local/domain/7", c.getDomainPath(cpu, 7));
        assertEquals(List.of("WRITE data/hello", "READ data/hello", "READ /local/domain/7/data/hello", "MKDIR data/dir",
                "DIRECTORY data", "READ data/dir", "RM data/dir", "DIRECTORY data", "DIRECTORY data/hello",
                "GET_DOMAIN_PATH 7"), rig.xenstored.log());
        assertEquals(0, c.unexpectedReplies());
    }

    @Test
    void permissionsRoundTrip() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        c.write(cpu, NIL, "data/p", "v");
        assertEquals(List.of(new XsPermission(XsPermission.Access.NONE, 7)), c.getPerms(cpu, NIL, "data/p"));
        List<XsPermission> perms = List.of(XsPermission.parse("n7"), XsPermission.parse("r0"), XsPermission.parse("b3"));
        c.setPerms(cpu, NIL, "data/p", perms);
        assertEquals(perms, c.getPerms(cpu, NIL, "data/p"));
        assertEquals("b3", perms.get(2).toString());
    }

    @Test
    void errorRepliesCarryXenstoredsError() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        XenbusException e = error(() -> c.read(cpu, NIL, "data/missing"));
        assertEquals(XsdError.ENOENT, e.error());
        assertEquals("XS_READ: ENOENT", e.getMessage());
        assertEquals(XsdError.EACCES, error(() -> c.write(cpu, NIL, "/local/domain/0/forbidden", "x")).error());
        rig.xenstored.answerNext(XsdSockmsgType.XS_ERROR.number(), "EQUOTA");
        assertEquals(XsdError.EINVAL, error(() -> c.read(cpu, NIL, "data")).error(),
                "an error name xs_wire.h does not have is EINVAL, as in libxenstore");
        rig.xenstored.answerNext(XsdSockmsgType.XS_DIRECTORY.number(), "x");
        assertEquals(XsdError.EINVAL, error(() -> c.read(cpu, NIL, "data")).error(),
                "a reply of another type is EINVAL, as in xs_talkv");
        c.write(cpu, NIL, "data/after", "ok");
        assertEquals("ok", c.read(cpu, NIL, "data/after"), "the connection carries on after errors");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        assertEquals(XsdError.EINVAL, error(() -> c.read(cpu, NIL, "data/a\0b")).error());
        assertEquals(XsdError.E2BIG, error(() -> c.write(cpu, NIL, "data/big", new byte[4096])).error());
        assertEquals(0, rig.signals.notifications.get(), "nothing reached the ring");
        assertEquals(List.of(), rig.xenstored.log());
    }

    @Test
    void messagesLargerThanTheRingAreStreamedBothWays() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        byte[] big = new byte[4000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        c.write(cpu, NIL, "data/big", big);
        assertArrayEquals(big, c.readBytes(cpu, NIL, "data/big"));
        assertEquals(new String(big, StandardCharsets.US_ASCII), rig.xenstored.value("data/big").orElseThrow());
        assertTrue(rig.signals.notifications.get() >= 4, "a 4 KiB request goes out in at least 4 pieces");
    }

    @Test
    void repliesArrivingAFewBytesAtATimeAreReassembled() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        rig.xenstored.chunkLimit(5);
        c.write(cpu, NIL, "data/x", "0123456789");
        assertEquals("0123456789", c.read(cpu, NIL, "data/x"));
        c.write(cpu, NIL, "data/y", "");
        assertEquals(List.of("x", "y"), c.directory(cpu, NIL, "data"));
        assertTrue(rig.signals.upcalls.get() >= 8, "replies came in pieces: " + rig.signals.upcalls.get());
    }

    @Test
    void indicesWrapAroundTheRingAndAround32Bits() throws InterruptedException {
        rig = new XenbusRig(m -> {
            for (int off : new int[] {XenstoreDomainInterface.REQ_CONS, XenstoreDomainInterface.REQ_PROD,
                    XenstoreDomainInterface.RSP_CONS, XenstoreDomainInterface.RSP_PROD}) {
                m.putInt(XenbusRig.RING + off, -700);
            }
        });
        XenbusClient c = rig.client;
        PerCpu cpu = rig.cpu();
        for (int i = 0; i < 40; i++) {
            String v = "value-" + i + "-".repeat(i * 7);
            c.write(cpu, NIL, "data/n" + i, v);
            assertEquals(v, c.read(cpu, NIL, "data/n" + i));
        }
        int reqProd = rig.memory.getInt(XenbusRig.RING + XenstoreDomainInterface.REQ_PROD);
        assertTrue(reqProd > 0, "req_prod wrapped past 2^32: " + reqProd);
    }

    @Test
    void watchEventsAreQueuedForXenwatchAndRunInTaskContext() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        List<String> fired = Collections.synchronizedList(new ArrayList<>());
        c.write(cpu, NIL, "data/seed", "1");
        XenbusWatch w = c.watch(cpu, "data", (wcpu, path) -> {
            assertFalse(wcpu.inUpcall(), "callbacks run in task context");
            fired.add(path + "=" + readOrNone(c, wcpu, path));
        });
        assertEquals(List.of(), fired, "nothing runs until the kernel runs xenwatch");
        assertTrue(c.xenwatch().hasPending(), "the first firing is queued");
        c.write(cpu, NIL, "data/a", "A");
        rig.idleUntil(() -> fired.size() == 2, "two callbacks");
        assertEquals(List.of("data=", "data/a=A"), fired);
        assertEquals(List.of("data " + w.token()), rig.xenstored.watches());
        rig.xenstored.write("/local/domain/7/data/b", "B");
        rig.idleUntil(() -> fired.size() == 3, "a change made by dom0");
        assertEquals("data/b=B", fired.get(2));
    }

    @Test
    void aWatchEventAheadOfAReplyIsQueuedAndTheReplyStillMatches() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        List<String> fired = new ArrayList<>();
        XenbusWatch w = c.watch(cpu, "data", (wcpu, path) -> fired.add(path));
        c.write(cpu, NIL, "data/v", "value");
        rig.xenstored.injectWatchEvent("data/injected", w.token());
        rig.xenstored.injectWatchEvent("data/other", "NOSUCHTOKEN");
        assertEquals("value", c.read(cpu, NIL, "data/v"));
        rig.idleUntil(() -> fired.contains("data/injected"), "the injected event");
        assertEquals(List.of("data", "data/v", "data/injected"), fired);
        assertEquals(1, c.badWatchEvents(), "an event for no watch is dropped");
    }

    @Test
    void callbacksMayMakeRequestsAndUnwatchDropsQueuedEvents() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        List<String> fired = new ArrayList<>();
        XenbusWatch w = c.watch(cpu, "data/echo", (wcpu, path) -> {
            String v = readOrNone(c, wcpu, path);
            if (!v.isEmpty() && !v.equals("<none>")) {
                c.write(wcpu, NIL, "data/echoed", v);
            }
            fired.add(v);
        });
        c.write(cpu, NIL, "data/echo", "hi");
        rig.idleUntil(() -> fired.size() == 2, "both firings");
        assertEquals("hi", c.read(cpu, NIL, "data/echoed"));
        c.write(cpu, NIL, "data/echo", "queued");
        assertTrue(c.xenwatch().hasPending());
        c.unwatch(cpu, w);
        assertFalse(c.xenwatch().hasPending(), "unwatch drops the watch's queued events");
        assertEquals(List.of(), rig.xenstored.watches());
        c.write(cpu, NIL, "data/echo", "late");
        rig.xenstored.injectWatchEvent("data/echo", w.token());
        c.read(cpu, NIL, "data/echo");
        assertFalse(c.xenwatch().runPending(cpu));
        assertEquals(2, fired.size());
        assertThrows(IllegalArgumentException.class, () -> c.unwatch(cpu, w));
    }

    @Test
    void transactionsCommitAbortAndRetryOnEagain() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        XenbusTransaction t = c.transactionStart(cpu);
        c.write(cpu, t, "data/t", "in-tx");
        assertEquals("in-tx", c.read(cpu, t, "data/t"));
        assertTrue(rig.xenstored.value("data/t").isEmpty(), "not visible before commit");
        c.transactionEnd(cpu, t, true);
        assertEquals("in-tx", rig.xenstored.value("data/t").orElseThrow());

        XenbusTransaction aborted = c.transactionStart(cpu);
        c.write(cpu, aborted, "data/t", "discarded");
        c.transactionEnd(cpu, aborted, false);
        assertEquals("in-tx", c.read(cpu, NIL, "data/t"));
        assertEquals(XsdError.ENOENT, error(() -> c.read(cpu, aborted, "data/t")).error(), "an ended transaction");

        rig.xenstored.failCommits(2);
        int[] attempts = {0};
        String r = c.transaction(cpu, tx -> {
            attempts[0]++;
            c.write(cpu, tx, "data/t", "retried");
            return "done";
        });
        assertEquals("done", r);
        assertEquals(3, attempts[0]);
        assertEquals("retried", c.read(cpu, NIL, "data/t"));
    }

    @Test
    void theRetryHelperGivesUpAndDiscardsOnAFailingBody() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        rig.xenstored.failCommits(1000);
        XenbusException e = error(() -> c.transaction(cpu, tx -> null));
        assertEquals(XsdError.EAGAIN, e.error());
        assertEquals(XenbusClient.MAX_TRANSACTION_ATTEMPTS,
                rig.xenstored.log().stream().filter(s -> s.startsWith("TRANSACTION_START")).count());
        rig.xenstored.failCommits(0);
        IllegalStateException body = assertThrows(IllegalStateException.class, () -> c.transaction(cpu, tx -> {
            c.write(cpu, tx, "data/never", "x");
            throw new IllegalStateException("body failed");
        }));
        assertEquals("body failed", body.getMessage());
        List<String> log = rig.xenstored.log();
        assertTrue(log.get(log.size() - 1).startsWith("TRANSACTION_END F"), log.toString());
        assertTrue(rig.xenstored.value("data/never").isEmpty());
    }

    @Test
    void aReplyForNoRequestIsDroppedAndCounted() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        c.mkdir(cpu, NIL, "data");
        rig.xenstored.inject(message(XsdSockmsgType.XS_READ.number(), 999_999, "stray"));
        c.write(cpu, NIL, "data/x", "1");
        assertEquals("1", c.read(cpu, NIL, "data/x"));
        assertEquals(1, c.unexpectedReplies());
    }

    @Test
    void bogusResponseIndicesFailTheClientCleanly() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        c.write(cpu, NIL, "data/x", "1");
        rig.xenstored.corruptResponseProducer();
        XenbusException e = error(() -> c.read(cpu, NIL, "data/x"));
        assertEquals(XsdError.EIO, e.error());
        assertTrue(c.failure().orElseThrow().contains("rsp ring indices"), c.failure().toString());
        int before = rig.signals.notifications.get();
        assertEquals(XsdError.EIO, error(() -> c.read(cpu, NIL, "data/x")).error(), "every later request fails");
        assertEquals(before, rig.signals.notifications.get(), "without touching the ring");
    }

    @Test
    void aBogusRequestConsumerFailsTheClientCleanly() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        c.write(cpu, NIL, "data/x", "1");
        rig.memory.putIntRelease(XenbusRig.RING + XenstoreDomainInterface.REQ_CONS, 0x4000_0000);
        assertEquals(XsdError.EIO, error(() -> c.write(cpu, NIL, "data/x", "2")).error());
        assertTrue(c.failure().orElseThrow().contains("req ring indices"), c.failure().toString());
    }

    @Test
    void aReplyHeaderLongerThanThePayloadLimitIsFatalNotAHang() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        c.mkdir(cpu, NIL, "data");
        byte[] header = new XsdSockmsg(XsdSockmsgType.XS_READ.number(), 1, 0, 5000).toBytes();
        rig.xenstored.inject(header);
        XenbusException e = error(() -> c.read(cpu, NIL, "data"));
        assertEquals(XsdError.EIO, e.error());
        assertTrue(c.failure().orElseThrow().contains("len 5000"), c.failure().toString());
    }

    @Test
    void xenstoredsErrorIndicatorFailsRequests() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        rig.xenstored.stopWithError(XenstoreDomainInterface.XENSTORE_ERROR_RINGIDX);
        assertEquals(XsdError.EIO, error(() -> c.read(cpu, NIL, "data")).error());
        assertTrue(c.failure().orElseThrow().contains("error indicator 2"));
    }

    @Test
    void aRingInReconnectWaitsForXenstoredAndStaleResponsesAreSkipped() {
        rig = new XenbusRig(m -> {
            m.putInt(XenbusRig.RING + XenstoreDomainInterface.CONNECTION, XenstoreDomainInterface.XENSTORE_RECONNECT);
            m.putInt(XenbusRig.RING + XenstoreDomainInterface.RSP_PROD, 20);
            m.putInt(XenbusRig.RING + XenstoreDomainInterface.RSP_CONS, 0);
        });
        XenbusClient c = rig.client;
        PerCpu cpu = rig.cpu();
        List<String> ran = new ArrayList<>();
        c.whenConnected(x -> ran.add("connected"));
        assertFalse(c.connected());
        assertEquals(List.of(), ran);
        // dom0 finishes the reconnection once the request is waiting for it.
        int[] servedBeforeConnect = {-1};
        Thread dom0 = Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + XenbusRig.TIMEOUT_MS * 1_000_000L;
            while (rig.signals.blocks.get() == 0 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            servedBeforeConnect[0] = rig.xenstored.log().size();
            rig.xenstored.connection(XenstoreDomainInterface.XENSTORE_CONNECTED);
        });
        c.write(cpu, NIL, "data/x", "after reconnect");
        assertTrue(c.connected());
        assertEquals("response ring not quiescent (00000000:00000014): fixed up", c.ringNotQuiescent().orElseThrow());
        rig.idleUntil(() -> !ran.isEmpty(), "the connected task");
        assertEquals("after reconnect", c.read(cpu, NIL, "data/x"));
        assertTrue(joined(dom0));
        assertEquals(0, servedBeforeConnect[0], "nothing was sent before xenstored connected the ring");
    }

    @Test
    void aNewXenstoredTakingTheRingOverGetsEveryWatchAgainAndTheReconnectTasksRun() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        List<String> fired = Collections.synchronizedList(new ArrayList<>());
        List<String> resumed = Collections.synchronizedList(new ArrayList<>());
        c.watch(cpu, "data/w", (x, path) -> fired.add(path));
        c.whenReconnected(x -> resumed.add("republish"));
        rig.idleUntil(() -> fired.size() == 1, "the watch's first firing");
        c.write(cpu, NIL, "data/x", "before");
        rig.xenstored.restart();
        rig.idleUntil(() -> !resumed.isEmpty() && fired.size() == 2, "the reconnection");
        assertEquals(1, c.reconnects());
        assertTrue(c.connected());
        assertFalse(rig.xenstored.awaitingGuest());
        assertEquals(List.of("data/w", "data/w"), fired, "the watch registered again fires once more");
        assertEquals(1, rig.xenstored.watches().size());
        assertTrue(rig.xenstored.watches().getFirst().startsWith("data/w "));
        assertEquals(XsdError.ENOENT, error(() -> c.read(cpu, NIL, "data/x")).error(), "the new store is empty");
        rig.xenstored.write("data/w", "changed");
        rig.idleUntil(() -> fired.size() == 3, "an event from the new xenstored");
        c.write(cpu, NIL, "data/x", "after");
        assertEquals("after", c.read(cpu, NIL, "data/x"));
        assertEquals(List.of("republish"), resumed);
        assertEquals(Optional.empty(), c.failure());
    }

    @Test
    void aRequestWaitingForAReplyWhenTheRingIsTakenOverIsSentAgain() {
        XenbusClient c = rig().client;
        PerCpu cpu = rig.cpu();
        c.write(cpu, NIL, "data/x", "old");
        rig.xenstored.hold();
        int before = rig.signals.blocks.get();
        Thread dom0 = Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + XenbusRig.TIMEOUT_MS * 1_000_000L;
            while (rig.signals.blocks.get() == before && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            rig.xenstored.restart();
        });
        c.write(cpu, NIL, "data/y", "sent twice");
        assertTrue(joined(dom0));
        assertEquals(List.of("WRITE data/y"), rig.xenstored.log(), "the new xenstored got the request once");
        assertEquals("sent twice", c.read(cpu, NIL, "data/y"));
        assertEquals(1, c.reconnects());
    }

    @Test
    void twoVcpusMakeRequestsAtOnce() throws Exception {
        XenbusClient c = rig().client;
        int n = 150;
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean otherDone = new java.util.concurrent.atomic.AtomicBoolean();
        Thread vcpu1 = Thread.ofPlatform().start(() -> {
            try {
                PerCpu cpu1 = rig.cpu(1);
                for (int i = 0; i < n; i++) {
                    c.write(cpu1, NIL, "data/one/" + i, "v" + i);
                    assertEquals("v" + i, c.read(cpu1, NIL, "data/one/" + i));
                }
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                otherDone.set(true);
            }
        });
        PerCpu cpu0 = rig.cpu();
        for (int i = 0; i < n; i++) {
            c.write(cpu0, NIL, "data/zero/" + i, "w" + i + "x".repeat(i * 11));
        }
        rig.idleUntil(otherDone::get, "vCPU 1's requests");
        vcpu1.join();
        assertEquals(List.of(), errors);
        assertEquals(n, c.directory(cpu0, NIL, "data/one").size());
        assertEquals(n, c.directory(cpu0, NIL, "data/zero").size());
        assertEquals(0, c.unexpectedReplies());
    }

    private static boolean joined(Thread t) {
        try {
            t.join(XenbusRig.TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private static String readOrNone(XenbusClient c, PerCpu cpu, String path) {
        try {
            return c.read(cpu, NIL, path);
        } catch (XenbusException e) {
            return "<none>";
        }
    }

    private static byte[] message(int type, int reqId, String payload) {
        byte[] p = (payload + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[XsdSockmsg.SIZE + p.length];
        System.arraycopy(new XsdSockmsg(type, reqId, 0, p.length).toBytes(), 0, m, 0, XsdSockmsg.SIZE);
        System.arraycopy(p, 0, m, XsdSockmsg.SIZE, p.length);
        return m;
    }
}
