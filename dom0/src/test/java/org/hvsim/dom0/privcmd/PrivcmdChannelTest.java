package org.hvsim.dom0.privcmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hvsim.hv.privcmd.CloseReason;
import org.hvsim.hv.privcmd.Dom0HypercallHandler;
import org.hvsim.hv.privcmd.Dom0SessionListener;
import org.hvsim.hv.privcmd.PrivcmdServer;
import org.hvsim.hv.privcmd.PrivcmdServerConfig;
import org.hvsim.hv.privcmd.PrivcmdToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ends over a real Unix socket: the hypervisor's PrivcmdServer and dom0's PrivcmdClient. */
class PrivcmdChannelTest {
    private static final PrivcmdToken TOKEN = PrivcmdToken.generate();

    @TempDir
    Path dir;

    private final List<String> sessionEvents = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverythingAndCheckNoThreadIsLeft() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
        awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("privcmd-")), "every privcmd thread to end");
    }

    /** f(vcpu, op, args): what the test handler returns, so every result is checkable. */
    static long expected(int vcpu, int op, long[] args) {
        long value = 31L * op + 7L * vcpu;
        for (int i = 0; i < args.length; i++) {
            value += (i + 1) * args[i];
        }
        return value;
    }

    private PrivcmdServer startServer(Path socket, Dom0HypercallHandler handler) throws IOException {
        Dom0SessionListener listener = new Dom0SessionListener() {
            @Override
            public void connected(long dom0Pid) {
                sessionEvents.add("connected " + dom0Pid);
            }

            @Override
            public void disconnected(long dom0Pid) {
                sessionEvents.add("disconnected " + dom0Pid);
            }
        };
        PrivcmdServer server = PrivcmdServer.start(
                PrivcmdServerConfig.of(socket, TOKEN, () -> ClientWire.WELCOME), handler, listener);
        toClose.add(server);
        return server;
    }

    private PrivcmdServer startServer(Path socket) throws IOException {
        return startServer(socket, (vcpu, op, args) -> {
            Thread.yield(); // let calls finish out of order
            return expected(vcpu, op, args);
        });
    }

    private PrivcmdClient connect(Path socket) throws IOException {
        PrivcmdClient client = PrivcmdClient.connect(socket, TOKEN.secret());
        toClose.add(client);
        return client;
    }

    @Test
    void theHandshakeReturnsTheWelcomeAndTheServerLearnsDom0sPid() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        PrivcmdServer server = startServer(socket);
        PrivcmdClient client = connect(socket);
        assertEquals(ClientWire.WELCOME, client.welcome());
        awaitTrue(server::dom0Connected, "the session");
        assertEquals(List.of("connected " + ProcessHandle.current().pid()), sessionEvents);
        assertEquals(expected(1, 17, new long[] {5}), client.hypercall(1, 17, 5));
    }

    @Test
    void aThousandConcurrentHypercallsFromEightThreadsAreEachAnsweredCorrectly() throws Exception {
        Path socket = dir.resolve("privcmd.sock");
        PrivcmdServer server = startServer(socket);
        PrivcmdClient client = connect(socket);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(callers.submit(() -> {
                    SplittableRandom random = new SplittableRandom(thread);
                    for (int i = 0; i < 125; i++) {
                        int vcpu = random.nextInt(ClientWire.WELCOME.getNrVcpus());
                        int op = random.nextInt(64);
                        long[] args = random.longs(random.nextInt(6)).toArray();
                        long result = client.hypercall(vcpu, op, args);
                        assertEquals(expected(vcpu, op, args), result, "thread " + thread + " call " + i);
                    }
                    return 125;
                }));
            }
            int answered = 0;
            for (Future<Integer> thread : threads) {
                answered += thread.get(60, TimeUnit.SECONDS);
            }
            assertEquals(1000, answered);
            assertEquals(1000, server.counters().hypercalls());
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void upcallsArriveInTheOrderSentAndNoneIsLost() throws Exception {
        Path socket = dir.resolve("privcmd.sock");
        PrivcmdServer server = startServer(socket);
        PrivcmdClient client = connect(socket);
        List<Integer> received = new CopyOnWriteArrayList<>();
        List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
        client.onUpcall(vcpu -> {
            onEventLoop.add(Thread.currentThread().getName().startsWith("privcmd-client"));
            received.add(vcpu);
        });
        awaitTrue(server::dom0Connected, "the session");

        SplittableRandom random = new SplittableRandom(42);
        int[] sent = new int[3000];
        int[] deliveredBefore = new int[sent.length];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = random.nextInt(ClientWire.WELCOME.getNrVcpus());
            deliveredBefore[i] = received.size();
            server.sendUpcall(sent[i]);
        }
        // Each upcall sent is followed by a delivery for its vCPU: for the last one of each vCPU,
        // wait for a delivery that began after it was sent.
        for (int vcpu = 0; vcpu < ClientWire.WELCOME.getNrVcpus(); vcpu++) {
            int last = lastIndexOf(sent, vcpu);
            int v = vcpu;
            awaitTrue(() -> {
                List<Integer> snapshot = List.copyOf(received);
                return snapshot.subList(deliveredBefore[last], snapshot.size()).contains(v);
            },
                    "an upcall for vCPU " + vcpu + " after the last one sent");
        }
        assertTrue(isSubsequence(received, sent), "deliveries keep the order upcalls were sent in");
        assertFalse(onEventLoop.contains(true), "the listener never runs on netty's event loop");
    }

    @Test
    void afterTheClientClosesANewDom0ConnectsAndWorks() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        PrivcmdServer server = startServer(socket);
        PrivcmdClient first = connect(socket);
        assertEquals(expected(0, 1, new long[0]), first.hypercall(0, 1));
        first.close();
        assertThrows(PrivcmdClosedException.class, () -> first.hypercall(0, 1));
        awaitTrue(() -> !server.dom0Connected(), "the first session to end");

        PrivcmdClient restarted = connect(socket);
        assertEquals(expected(2, 3, new long[] {4}), restarted.hypercall(2, 3, 4));
        long pid = ProcessHandle.current().pid();
        assertEquals(List.of("connected " + pid, "disconnected " + pid, "connected " + pid), sessionEvents);
    }

    @Test
    void aSecondAuthenticatedDom0IsRefusedWhileTheFirstIsConnected() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        PrivcmdServer server = startServer(socket);
        PrivcmdClient first = connect(socket);
        PrivcmdClosedException refused = assertThrows(PrivcmdClosedException.class,
                () -> PrivcmdClient.connect(socket, TOKEN.secret()));
        assertTrue(refused.getMessage().contains("during the handshake"), refused.getMessage());
        assertEquals(1, server.counters().closed(CloseReason.SESSION_BUSY));
        assertEquals(expected(3, 2, new long[0]), first.hypercall(3, 2));
    }

    @Test
    void aWrongTokenIsRefused() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        PrivcmdServer server = startServer(socket);
        assertThrows(PrivcmdClosedException.class, () -> PrivcmdClient.connect(socket, "not-the-token"));
        assertEquals(1, server.counters().closed(CloseReason.BAD_TOKEN));
        assertFalse(server.dom0Connected());
    }

    @Test
    void theSocketFileIsOwnerOnlyAndTheServerDeletesItOnClose() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        PrivcmdServer server = startServer(socket);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(socket));
        server.close();
        assertFalse(Files.exists(socket));
        assertThrows(IOException.class, () -> PrivcmdClient.connect(socket, TOKEN.secret()));
    }

    @Test
    void theServerGoingAwayFailsOutstandingAndLaterCalls() throws Exception {
        Path socket = dir.resolve("privcmd.sock");
        CountDownLatch entered = new CountDownLatch(1);
        PrivcmdServer server = startServer(socket, (vcpu, op, args) -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        });
        PrivcmdClient client = connect(socket);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Long> blocked = caller.submit(() -> client.hypercall(0, 29));
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            server.close();
            Exception failure = assertThrows(Exception.class, () -> blocked.get(10, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof PrivcmdClosedException, String.valueOf(failure.getCause()));
            assertEquals("privcmd channel closed: the hypervisor closed the connection",
                    failure.getCause().getMessage());
            awaitTrue(() -> !client.isOpen(), "the client to see the channel closed");
            assertThrows(PrivcmdClosedException.class, () -> client.hypercall(0, 1));
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        PrivcmdServer server = startServer(socket);
        PrivcmdClient client = connect(socket);
        assertThrows(IllegalArgumentException.class, () -> client.hypercall(0, 1, 1, 2, 3, 4, 5, 6));
        assertThrows(IllegalArgumentException.class, () -> client.hypercall(ClientWire.WELCOME.getNrVcpus(), 1));
        assertThrows(IllegalArgumentException.class, () -> client.hypercall(-1, 1));
        assertEquals(expected(0, 1, new long[] {1, 2, 3, 4, 5}), client.hypercall(0, 1, 1, 2, 3, 4, 5));
        assertEquals(1, server.counters().hypercalls());
    }

    @Test
    void connectFromEnvironmentUsesTheVariablesTheHypervisorSets() throws IOException {
        Path socket = dir.resolve("privcmd.sock");
        startServer(socket);
        assertThrows(IOException.class, () -> PrivcmdClient.connectFromEnvironment(Map.of()));
        PrivcmdClient client = PrivcmdClient.connectFromEnvironment(Map.of(
                PrivcmdServer.ENV_SOCKET, socket.toString(), PrivcmdServer.ENV_TOKEN, TOKEN.secret()));
        toClose.add(client);
        assertEquals(ClientWire.WELCOME, client.welcome());
    }

    private static int lastIndexOf(int[] values, int value) {
        for (int i = values.length - 1; i >= 0; i--) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new AssertionError("vCPU " + value + " was never sent an upcall");
    }

    private static boolean isSubsequence(List<Integer> candidate, int[] sequence) {
        int next = 0;
        for (int value : candidate) {
            while (next < sequence.length && sequence[next] != value) {
                next++;
            }
            if (next == sequence.length) {
                return false;
            }
            next++;
        }
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
