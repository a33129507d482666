package org.hvsim.hv.privcmd;

import static org.hvsim.hv.privcmd.PrivcmdWire.frame;
import static org.hvsim.hv.privcmd.PrivcmdWire.hypercall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivcmdServerSocketTest {
    private static final String TOKEN = ServerPipelineHarness.TOKEN;

    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Dom0SessionListener recorder = new Dom0SessionListener() {
        @Override
        public void connected(long dom0Pid) {
            events.add("connected " + dom0Pid);
        }

        @Override
        public void disconnected(long dom0Pid) {
            events.add("disconnected " + dom0Pid);
        }
    };

    @AfterEach
    void noServerThreadOutlivesItsServer() {
        awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("privcmd-server")), "privcmd-server threads to end");
    }

    private PrivcmdServer start(Path socket, Dom0HypercallHandler handler) throws IOException {
        return PrivcmdServer.start(PrivcmdServerConfig.of(socket, new PrivcmdToken(TOKEN),
                () -> ServerPipelineHarness.WELCOME), handler, recorder);
    }

    @Test
    void theSocketIsOwnerOnlyAndDeletedOnClose() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        try (PrivcmdServer server = start(socket, ServerPipelineHarness::sumHandler)) {
            assertEquals(socket, server.socketPath());
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(socket));
            try (Stream<Path> entries = Files.list(dir)) {
                assertEquals(List.of(socket), entries.toList(), "nothing but the socket is left in its directory");
            }
            try (RawPrivcmdConnection dom0 = RawPrivcmdConnection.authenticated(socket, TOKEN, 77)) {
                dom0.send(frame(hypercall(1, 1, 17, 3)));
                assertEquals(20, dom0.read().getHypercallResult().getResult());
            }
        }
        assertFalse(Files.exists(socket));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(), entries.toList());
        }
    }

    @Test
    void aStaleSocketLeftByADeadServerIsReplaced() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "the JDK leaves the socket file behind");
        try (PrivcmdServer server = start(socket, ServerPipelineHarness::sumHandler);
                RawPrivcmdConnection dom0 = RawPrivcmdConnection.authenticated(socket, TOKEN, 1)) {
            assertTrue(server.dom0Connected() || awaitConnected(server));
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAlone() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        Files.writeString(socket, "precious");
        assertThrows(FileAlreadyExistsException.class, () -> start(socket, ServerPipelineHarness::sumHandler));
        assertEquals("precious", Files.readString(socket));
    }

    @Test
    void aSocketARunningServerListensOnIsLeftAlone() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        try (PrivcmdServer first = start(socket, ServerPipelineHarness::sumHandler)) {
            IOException refused = assertThrows(IOException.class,
                    () -> start(socket, ServerPipelineHarness::sumHandler));
            assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
            try (RawPrivcmdConnection dom0 = RawPrivcmdConnection.authenticated(socket, TOKEN, 1)) {
                dom0.send(frame(hypercall(1, 0, 5)));
                assertEquals(5, dom0.read().getHypercallResult().getResult());
            }
        }
    }

    @Test
    void aPathTooLongForAUnixSocketIsRefusedClearly() {
        Path socket = dir.resolve("s".repeat(PrivcmdSocketFile.MAX_SOCKET_PATH_BYTES));
        IOException tooLong = assertThrows(IOException.class, () -> start(socket, ServerPipelineHarness::sumHandler));
        assertTrue(tooLong.getMessage().contains("at most 107"), tooLong.getMessage());
    }

    @Test
    void garbageOnAnotherConnectionLeavesTheDom0SessionWorking() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        try (PrivcmdServer server = start(socket, ServerPipelineHarness::sumHandler);
                RawPrivcmdConnection dom0 = RawPrivcmdConnection.authenticated(socket, TOKEN, 1);
                RawPrivcmdConnection garbage = RawPrivcmdConnection.open(socket);
                RawPrivcmdConnection oversized = RawPrivcmdConnection.open(socket)) {
            garbage.send(frame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));
            oversized.send(new byte[] {0x7f, 0, 0, 0});
            assertTrue(garbage.closedByServer());
            assertTrue(oversized.closedByServer());
            dom0.send(frame(hypercall(4, 2, 1, 1)));
            PrivcmdMessage result = dom0.read();
            assertEquals(4, result.getHypercallResult().getId());
            assertEquals(2, result.getHypercallResult().getResult());
            assertEquals(1, server.counters().closed(CloseReason.MALFORMED_FRAME));
            assertEquals(1, server.counters().closed(CloseReason.OVERSIZED_FRAME));
        }
    }

    @Test
    void hypercallsRunOnVirtualThreadsAndABlockedOneDoesNotHoldUpOthers() throws Exception {
        Path socket = dir.resolve("privcmd.sock");
        CountDownLatch release = new CountDownLatch(1);
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        Dom0HypercallHandler handler = (vcpu, op, args) -> {
            virtual.add(Thread.currentThread().isVirtual());
            if (op == 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    return -4;
                }
            }
            return op;
        };
        try (PrivcmdServer server = start(socket, handler);
                RawPrivcmdConnection dom0 = RawPrivcmdConnection.authenticated(socket, TOKEN, 1)) {
            dom0.send(frame(hypercall(1, 0, 1)));
            dom0.send(frame(hypercall(2, 1, 2)));
            assertEquals(2, dom0.read().getHypercallResult().getId(), "the second call overtakes the blocked one");
            release.countDown();
            assertEquals(1, dom0.read().getHypercallResult().getId());
            assertEquals(List.of(true, true), virtual);
        }
    }

    @Test
    void closeInterruptsABlockedHypercallAndTellsTheListenerDom0IsGone() throws Exception {
        Path socket = dir.resolve("privcmd.sock");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Dom0HypercallHandler handler = (vcpu, op, args) -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return 0;
        };
        PrivcmdServer server = start(socket, handler);
        try (RawPrivcmdConnection dom0 = RawPrivcmdConnection.authenticated(socket, TOKEN, 9)) {
            dom0.send(frame(hypercall(1, 0, 29)));
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            server.close();
            assertTrue(interrupted.await(10, TimeUnit.SECONDS));
            assertTrue(dom0.closedByServer());
        }
        assertEquals(List.of("connected 9", "disconnected 9"), events);
        assertFalse(server.dom0Connected());
        server.close();
    }

    @Test
    void upcallsReachTheSessionAndAreDroppedWithoutOne() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        try (PrivcmdServer server = start(socket, ServerPipelineHarness::sumHandler)) {
            server.sendUpcall(1); // no session: nothing happens
            try (RawPrivcmdConnection dom0 = RawPrivcmdConnection.authenticated(socket, TOKEN, 1)) {
                awaitConnected(server);
                server.sendUpcall(3);
                assertEquals(3, dom0.read().getUpcall().getVcpu());
                assertThrows(IndexOutOfBoundsException.class,
                        () -> server.sendUpcall(ServerPipelineHarness.NR_VCPUS));
            }
        }
    }

    private static boolean awaitConnected(PrivcmdServer server) {
        awaitTrue(server::dom0Connected, "dom0 session established");
        return true;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
