package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.hvsim.proto.control.ReadConsoleRequest;
import org.hvsim.proto.privcmd.Hello;
import org.hvsim.proto.privcmd.HypercallRequest;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Peers on the privcmd socket that are not the hypervisor's dom0: a frame length beyond the limit, bytes
 * that are not a message, text of another protocol, a hypercall without a Hello, a wrong token, the right
 * token while dom0 is connected (only one dom0 session), silence, and a flood of such connections. Each
 * bad connection is closed, for the reason the hypervisor logs; the hypervisor stays up and dom0 keeps its
 * session (the same process, never disconnected), so {@code xl} works throughout.
 *
 * <p>The hypervisor logs such closes at most ten a ten-second window, so the tests that look for their
 * line in the log run first (eight lines, and the silent connection's), and the ones that make many lines
 * last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivcmdHostileIT {
    /** privcmd's frame limit (PrivcmdLimits.MAX_FRAME_BYTES): 64 KiB. */
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    /** How long the hypervisor waits for a Hello (PrivcmdServerConfig.DEFAULT_HELLO_TIMEOUT_NS), and some. */
    private static final long HELLO_TIMEOUT_MS = 10_000;
    private static final long CLOSE_MS = 10_000;

    private static Host host;
    private static long hypervisorPid;
    private static long dom0Pid;
    private static Path socket;
    private static RawPrivcmdClient silent;

    @BeforeAll
    static void startHost() throws Exception {
        host = Host.start("1G", 2);
        hypervisorPid = host.hypervisorPid();
        dom0Pid = host.dom0().orElseThrow().pid();
        socket = host.home().resolve("privcmd.sock");
        // Says nothing while the other tests run; silenceIsCutOffAfterTheHelloTimeout looks at it.
        silent = RawPrivcmdClient.connect(socket);
    }

    @AfterAll
    static void stopHost() throws IOException {
        if (silent != null) {
            silent.close();
        }
        if (host != null) {
            host.close();
        }
    }

    /** After each attack: the hypervisor and the same dom0 run, dom0 never lost its session, xl works. */
    @AfterEach
    void hostUnharmed() throws Exception {
        assertTrue(ProcessHandle.of(hypervisorPid).map(ProcessHandle::isAlive).orElse(false), "hypervisor alive");
        assertEquals(dom0Pid, host.dom0().orElseThrow().pid(), "the same dom0 process");
        String dmesg = host.hostService().readConsole(ReadConsoleRequest.getDefaultInstance()).getText();
        assertFalse(dmesg.contains("disconnected"), dmesg);
        assertEquals("Domain-0", host.list().getFirst().name());
    }

    /** Sends {@code bytes} on a new connection and checks the hypervisor closes it and logs {@code reason}. */
    private static void assertRefused(byte[] bytes, String reason) throws Exception {
        int logged = logged(reason);
        try (RawPrivcmdClient client = RawPrivcmdClient.connect(socket)) {
            client.write(bytes);
            assertTrue(client.awaitClosed(CLOSE_MS), "the hypervisor closed the connection");
        }
        awaitLogged(reason, logged);
    }

    /** How many connections the hypervisor's log says it closed for {@code reason}. */
    private static int logged(String reason) throws IOException {
        return Guests.count(host.hypervisorLog(), ": " + reason + ": ");
    }

    private static void awaitLogged(String reason, int before) {
        Host.await(() -> {
            try {
                return logged(reason) > before;
            } catch (IOException e) {
                return false;
            }
        }, CLOSE_MS, "the hypervisor to log a connection closed for " + reason);
    }

    @Test
    @Order(0)
    void socketIsTheOwnersOnly() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    @Order(1)
    void frameLengthBeyondTheLimit() throws Exception {
        assertRefused(ByteBuffer.allocate(4).putInt(MAX_FRAME_BYTES + 1).array(), "OVERSIZED_FRAME");
        assertRefused(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(), "OVERSIZED_FRAME");
    }

    @Test
    @Order(2)
    void frameThatIsNotAMessage() throws Exception {
        // Field 1 (hello), length-delimited, says 127 bytes follow but one does.
        assertRefused(RawPrivcmdClient.frame(new byte[] {0x0a, 0x7f, 0x01}), "MALFORMED_FRAME");
        // Wire type 7 does not exist.
        assertRefused(RawPrivcmdClient.frame(new byte[] {0x0f}), "MALFORMED_FRAME");
    }

    @Test
    @Order(3)
    void textOfAnotherProtocol() throws Exception {
        // "GET " read as a length is 1195725856.
        assertRefused("GET / HTTP/1.1\r\nHost: privcmd\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "OVERSIZED_FRAME");
    }

    @Test
    @Order(8)
    void randomBytes() throws Exception {
        Random random = new Random(0x5eed);
        for (int i = 0; i < 5; i++) {
            byte[] garbage = new byte[2 * MAX_FRAME_BYTES];
            random.nextBytes(garbage);
            garbage[0] = 0; // a length within the limit, so the frame is decoded and found wanting
            garbage[1] = 0;
            try (RawPrivcmdClient client = RawPrivcmdClient.connect(socket)) {
                client.write(garbage);
                assertTrue(client.awaitClosed(CLOSE_MS), "closed after garbage " + i);
            }
        }
    }

    @Test
    @Order(4)
    void hypercallWithoutHello() throws Exception {
        PrivcmdMessage call = PrivcmdMessage.newBuilder().setHypercall(HypercallRequest.newBuilder()
                .setId(1).setVcpu(0).setOp(36).addArgs(0)).build(); // domctl, as dom0 would make it
        assertRefused(RawPrivcmdClient.frame(call), "NOT_HELLO");
    }

    @Test
    @Order(5)
    void helloWithAWrongToken() throws Exception {
        assertRefused(RawPrivcmdClient.frame(hello("not-the-token")), "BAD_TOKEN");
    }

    @Test
    @Order(6)
    void helloWithTheRightTokenWhileDom0IsConnected() throws Exception {
        // The token is in dom0's environment, which a process of the same user can read: the one-session
        // rule is what keeps such a process from becoming a second dom0.
        assertRefused(RawPrivcmdClient.frame(hello(dom0Token())), "SESSION_BUSY");
    }

    @Test
    @Order(7)
    void silenceIsCutOffAfterTheHelloTimeout() throws Exception {
        assertTrue(silent.awaitClosed(HELLO_TIMEOUT_MS + CLOSE_MS), "closed for want of a Hello");
        awaitLogged("HELLO_TIMEOUT", 0);
    }

    @Test
    @Order(9)
    void aFloodOfBadConnectionsIsLoggedAtALimitedRate() throws Exception {
        long start = System.nanoTime();
        int before = Guests.count(host.hypervisorLog(), "privcmd: closing connection");
        int flood = 200;
        for (int i = 0; i < flood; i++) {
            try (RawPrivcmdClient client = RawPrivcmdClient.connect(socket)) {
                client.write(ByteBuffer.allocate(4).putInt(-1).array());
                assertTrue(client.awaitClosed(CLOSE_MS), "connection " + i + " closed");
            }
        }
        long windows = (System.nanoTime() - start) / 10_000_000_000L + 2;
        int logged = Guests.count(host.hypervisorLog(), "privcmd: closing connection") - before;
        assertTrue(logged <= 10 * windows, logged + " lines for " + flood + " connections in " + windows
                + " ten-second windows: at most ten lines a window");
    }

    private static PrivcmdMessage hello(String token) {
        return PrivcmdMessage.newBuilder().setHello(Hello.newBuilder().setToken(token).setPid(4242)).build();
    }

    /** HVSIM_PRIVCMD_TOKEN from dom0's environment. */
    private static String dom0Token() throws IOException {
        String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(dom0Pid), "environ")),
                StandardCharsets.UTF_8);
        for (String entry : environ.split("\0")) {
            if (entry.startsWith("HVSIM_PRIVCMD_TOKEN=")) {
                return entry.substring("HVSIM_PRIVCMD_TOKEN=".length());
            }
        }
        throw new AssertionError("no HVSIM_PRIVCMD_TOKEN in dom0's environment");
    }
}
