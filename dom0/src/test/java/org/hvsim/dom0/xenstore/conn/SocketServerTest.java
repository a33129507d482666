package org.hvsim.dom0.xenstore.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.dom0.xenstore.core.XenstoredCore;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The Unix socket: mode, framing errors, pipelining, and test-xenstore's transaction scenarios. */
class SocketServerTest {
    @TempDir
    Path dir;
    EventLoopGroup loop;
    SocketServer server;
    Path socket;

    @BeforeEach
    void start() throws Exception {
        loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        RateLimitedLog log = RateLimitedLog.standard(LoggerFactory.getLogger(SocketServerTest.class));
        XenstoredCore core = loop.submit(() -> new XenstoredCore(d -> true, (d, g, p) -> {
            throw new IllegalStateException();
        }, log)).get();
        socket = dir.resolve("socket");
        server = SocketServer.bind(socket, loop, core, log);
    }

    @AfterEach
    void stop() {
        server.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Test
    void socketIsPrivateToItsOwner() throws Exception {
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(socket));
        assertEquals(1, Files.list(dir).count(), "no leftover temporary directory");
    }

    @Test
    void testXenstoreTaRmw() throws Exception {
        try (XsSocketClient c = XsSocketClient.connect(socket)) {
            c.write(0, "xenstore-test/1/a", "a");
            for (boolean commit : new boolean[] {true, false}) {
                c.write(0, "xenstore-test/1/a", "a");
                int tx = Integer.parseInt(XsSocketClient.text(c.call(XsdSockmsgType.XS_TRANSACTION_START, 0, "")));
                assertEquals("a", XsSocketClient.text(c.call(XsdSockmsgType.XS_READ, tx, "xenstore-test/1/a")));
                c.write(tx, "xenstore-test/1/a", "b");
                assertEquals("b", XsSocketClient.text(c.call(XsdSockmsgType.XS_READ, tx, "xenstore-test/1/a")));
                assertEquals("a", XsSocketClient.text(c.call(XsdSockmsgType.XS_READ, 0, "xenstore-test/1/a")));
                XsMessage end = c.call(XsdSockmsgType.XS_TRANSACTION_END, tx, commit ? "T" : "F");
                assertEquals(XsdSockmsgType.XS_TRANSACTION_END.number(), end.type());
                assertEquals(commit ? "b" : "a",
                        XsSocketClient.text(c.call(XsdSockmsgType.XS_READ, 0, "/local/domain/0/xenstore-test/1/a")));
            }
        }
    }

    @Test
    void testXenstoreTaErr() throws Exception {
        try (XsSocketClient c = XsSocketClient.connect(socket)) {
            c.write(0, "xenstore-test/2/a", "a");
            int tx = Integer.parseInt(XsSocketClient.text(c.call(XsdSockmsgType.XS_TRANSACTION_START, 0, "")));
            assertEquals("a", XsSocketClient.text(c.call(XsdSockmsgType.XS_READ, tx, "xenstore-test/2/a")));
            c.write(0, "xenstore-test/2/a", "b");
            assertEquals("a", XsSocketClient.text(c.call(XsdSockmsgType.XS_READ, tx, "xenstore-test/2/a")));
            c.write(tx, "xenstore-test/2/a", "c");
            XsMessage end = c.call(XsdSockmsgType.XS_TRANSACTION_END, tx, "T");
            assertEquals(XsdSockmsgType.XS_ERROR.number(), end.type());
            assertEquals("EAGAIN", XsSocketClient.text(end));
            assertEquals("b", XsSocketClient.text(c.call(XsdSockmsgType.XS_READ, 0, "xenstore-test/2/a")));
        }
    }

    @Test
    void oversizedHeaderClosesOnlyThatConnection() throws Exception {
        try (XsSocketClient bad = XsSocketClient.connect(socket); XsSocketClient good = XsSocketClient.connect(socket)) {
            bad.sendRaw(new XsdSockmsg(XsdSockmsgType.XS_WRITE.number(), 1, 0, 4097).toBytes());
            assertNull(bad.receive(), "xenstored closes the connection");
            assertEquals("/local/domain/1",
                    XsSocketClient.text(good.call(XsdSockmsgType.XS_GET_DOMAIN_PATH, 0, "1")));
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWithEventsInterleaved() throws Exception {
        try (XsSocketClient c = XsSocketClient.connect(socket)) {
            StringBuilder batch = new StringBuilder();
            int first = c.send(XsdSockmsgType.XS_WATCH, 0, "/p", "tok");
            for (int i = 0; i < 200; i++) {
                c.sendRaw(XsMessage.of(XsdSockmsgType.XS_WRITE.number(), 1000 + i, 0, ("/p/" + i + "\0v").getBytes()).encode());
            }
            XsMessage m;
            int replies = 0;
            int events = 0;
            int lastReq = first - 1;
            while (replies < 201 && (m = c.receive()) != null) {
                if (m.type() == XsdSockmsgType.XS_WATCH_EVENT.number()) {
                    events++;
                } else {
                    assertTrue(m.header().reqId() > lastReq, "in order");
                    lastReq = m.header().reqId();
                    replies++;
                }
                batch.append(m.type()).append(' ');
            }
            assertEquals(201, replies);
            while (events < 201) {
                m = c.receive();
                assertEquals(XsdSockmsgType.XS_WATCH_EVENT.number(), m.type());
                events++;
            }
        }
    }

    @Test
    void aClientThatStopsReadingIsThrottledNotBuffered() throws Exception {
        try (XsSocketClient hog = XsSocketClient.connect(socket); XsSocketClient good = XsSocketClient.connect(socket)) {
            hog.write(0, "/big", "x".repeat(4000));
            byte[] read = XsMessage.of(XsdSockmsgType.XS_READ.number(), 7, 0, "/big\0".getBytes()).encode();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) {
                        hog.sendRaw(read);
                    }
                } catch (java.io.IOException e) {
                    // The socket filled up and the test ended: expected.
                }
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (writer.isAlive() && System.nanoTime() < deadline) {
                assertEquals("/local/domain/2",
                        XsSocketClient.text(good.call(XsdSockmsgType.XS_GET_DOMAIN_PATH, 0, "2")));
                if (writer.getState() == Thread.State.WAITING || writer.getState() == Thread.State.TIMED_WAITING) {
                    break;
                }
            }
            assertTrue(writer.isAlive(), "the hog's writes block: xenstored stopped reading it");
            for (int i = 0; i < 200; i++) {
                assertEquals("/local/domain/3",
                        XsSocketClient.text(good.call(XsdSockmsgType.XS_GET_DOMAIN_PATH, 0, "3")));
            }
            assertTrue(writer.isAlive(), "and does not resume while the hog reads nothing");
            hog.close();
            writer.join();
        }
    }
}
