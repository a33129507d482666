package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * XenStore on a live host, driven by Debian's xenstore-utils and python3-pyxs through
 * {@code XENSTORED_PATH=$(hvsim xenstore-path)}: libxl's layout of a guest, read/write/rm/ls/chmod/watch,
 * a pyxs transaction that conflicts, shutdown and reboot through {@code control/shutdown}, mem-set, what
 * destroy leaves, {@code @releaseDomain} on a crash, and the guest's own {@code xenstore} app.
 */
class XenstoreIT {
    /** Debian's python3, which python3-pyxs is installed for (a python3 earlier on PATH may not have it). */
    private static final String PYTHON = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3"))
            ? "/usr/bin/python3" : "python3";

    private static Host host;
    private static Guests guests;
    private static String socket;

    @BeforeAll
    static void startHost() throws Exception {
        host = Host.start("1G", 2);
        guests = new Guests(host);
        socket = host.hvsim("xenstore-path").expectOk().out().trim();
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @AfterEach
    void destroyLeftovers() {
        guests.destroyAll();
    }

    private static ProcessBuilder tool(String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("XENSTORED_PATH", socket);
        return pb;
    }

    /** Runs a xenstore tool against the host's xenstored. */
    private static Run xs(String... cmd) throws IOException, InterruptedException {
        Process p = tool(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(1, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(List.of(cmd) + " did not finish within a minute");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String read(String path) throws IOException, InterruptedException {
        return xs("xenstore-read", path).expectOk().out().trim();
    }

    private static boolean exists(String path) throws IOException, InterruptedException {
        return xs("xenstore-exists", path).exit() == 0;
    }

    /** A spawned tool whose stdout is collected. */
    private static final class Spawned implements AutoCloseable {
        final Process process;
        final StringBuilder out = new StringBuilder();

        Spawned(String... cmd) throws IOException {
            process = tool(cmd).redirectErrorStream(true).start();
            Thread.ofVirtual().start(() -> {
                byte[] b = new byte[4096];
                try {
                    int n;
                    while ((n = process.getInputStream().read(b)) >= 0) {
                        synchronized (out) {
                            out.append(new String(b, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                } catch (IOException e) {
                    // The process ended.
                }
            });
        }

        String text() {
            synchronized (out) {
                return out.toString();
            }
        }

        long count(String line) {
            return text().lines().filter(line::equals).count();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void aGuestIsLaidOutAsLibxlDoesAndTheToolsWork() throws Exception {
        int domid = guests.create("xs-idle", "idle");
        String dom = "/local/domain/" + domid;
        assertEquals("xs-idle", read(dom + "/name"));
        assertEquals(Integer.toString(domid), read(dom + "/domid"));
        assertEquals(Integer.toString(Guests.MEMORY_MIB * 1024), read(dom + "/memory/target"));
        assertEquals("online", read(dom + "/cpu/0/availability"));
        String vm = read(dom + "/vm");
        DomainInfo info = host.domain("xs-idle").orElseThrow();
        assertEquals("/vm/" + info.getUuid(), vm);
        assertEquals(info.getUuid(), read(vm + "/uuid"));
        String ls = xs("xenstore-ls", dom).expectOk().out();
        for (String key : List.of("name = \"xs-idle\"", "control =", "shutdown = \"\"", "memory =", "static-max",
                "store =", "ring-ref", "console =", "data =")) {
            assertTrue(ls.contains(key), key + " in\n" + ls);
        }
        guests.awaitConsole("xs-idle", "minios: xenstore ring gfn 2");
        Host.await(() -> {
            try {
                return "1".equals(read(dom + "/control/feature-poweroff"));
            } catch (Exception | AssertionError notYet) {
                return false;
            }
        }, Guests.TIMEOUT_MS, "the guest's shutdown watcher to publish feature-poweroff");

        xs("xenstore-write", dom + "/data/it", "hello").expectOk();
        assertEquals("hello", read(dom + "/data/it"));
        xs("xenstore-rm", dom + "/data/it").expectOk();
        assertTrue(!exists(dom + "/data/it"));
        xs("xenstore-chmod", dom + "/data", "n0").expectOk();
        assertTrue(xs("xenstore-ls", "-p", dom).expectOk().out().contains("(n0)"));

        try (Spawned watch = new Spawned("xenstore-watch", dom + "/data/w")) {
            Host.await(() -> watch.count(dom + "/data/w") >= 1, Guests.TIMEOUT_MS, "the watch's first event");
            xs("xenstore-write", dom + "/data/w", "x").expectOk();
            Host.await(() -> watch.count(dom + "/data/w") >= 2, Guests.TIMEOUT_MS, "the event of a write");
        }
    }

    @Test
    void aPyxsTransactionFailsWithEagainAfterAConflictingWrite() throws Exception {
        xs("xenstore-write", "/it-tx/node", "a").expectOk();
        // pyxs 0.4: a client in a transaction sends everything in it; commit() is False on EAGAIN.
        String script = String.join("\n",
                "import sys",
                "from pyxs import Client",
                "with Client(unix_socket_path=sys.argv[1]) as t, Client(unix_socket_path=sys.argv[1]) as c:",
                "    t.transaction()",
                "    t.read(b'/it-tx/node')",
                "    c.write(b'/it-tx/node', b'b')",
                "    t.write(b'/it-tx/node', b'c')",
                "    print('committed' if t.commit() else 'EAGAIN')",
                "");
        Run r = xs(PYTHON, "-c", script, socket).expectOk();
        assertEquals("EAGAIN", r.out().trim(), r.toString());
        assertEquals("b", read("/it-tx/node"));
        xs("xenstore-rm", "/it-tx").expectOk();
    }

    @Test
    void shutdownRebootAndMemSetGoThroughXenstore() throws Exception {
        int domid = guests.create("xs-ctl", "idle", "on_reboot = \"restart\"");
        String dom = "/local/domain/" + domid;
        Host.await(() -> {
            try {
                return "1".equals(read(dom + "/control/feature-reboot"));
            } catch (Exception | AssertionError notYet) {
                return false;
            }
        }, Guests.TIMEOUT_MS, "feature-reboot");
        host.xl("mem-set", "xs-ctl", "12").expectOk();
        assertEquals("12288", read(dom + "/memory/target"));
        Run tooBig = host.xl("mem-set", "xs-ctl", "1G");
        assertNotEquals(0, tooBig.exit());
        assertTrue(tooBig.err().contains("memory_dynamic_max must be less than or equal to memory_static_max"),
                tooBig.err());
        assertEquals("invalid memory size: 12q\n", host.xl("mem-set", "xs-ctl", "12q").err());

        host.xl("reboot", "xs-ctl").expectOk();
        guests.awaitConsole("xs-ctl", "minios: shutting down (reboot)");
        guests.await("xs-ctl", d -> d.getDomid() != domid, "the restart under a new id");
        Host.await(() -> {
            try {
                return !exists(dom);
            } catch (Exception | AssertionError notYet) {
                return false;
            }
        }, Guests.TIMEOUT_MS, "the old domain's nodes to go");
        int again = host.domain("xs-ctl").orElseThrow().getDomid();
        Host.await(() -> {
            try {
                return "1".equals(read("/local/domain/" + again + "/control/feature-poweroff"));
            } catch (Exception | AssertionError notYet) {
                return false;
            }
        }, Guests.TIMEOUT_MS, "the restarted guest's feature-poweroff");
        String uuid = host.domain("xs-ctl").orElseThrow().getUuid();

        Run down = host.xl("shutdown", "-w", "xs-ctl").expectOk();
        assertTrue(down.err().contains("Domain " + again + " has been destroyed")
                || down.err().contains("reason code 0"), down.err());
        assertTrue(host.consoleLog("xs-ctl").contains("minios: shutting down (poweroff)"));
        guests.awaitGone("xs-ctl");
        assertTrue(!exists("/local/domain/" + again));
        assertTrue(!exists("/vm/" + uuid));
    }

    @Test
    void aGuestWithoutThePvControlInterfaceNeedsMinusF() throws Exception {
        int domid = guests.create("xs-nopv", "idle");
        Host.await(() -> {
            try {
                return "1".equals(read("/local/domain/" + domid + "/control/feature-poweroff"));
            } catch (Exception | AssertionError notYet) {
                return false;
            }
        }, Guests.TIMEOUT_MS, "feature-poweroff");
        xs("xenstore-write", "/local/domain/" + domid + "/control/feature-poweroff", "").expectOk();
        Run refused = host.xl("shutdown", "xs-nopv");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.err().contains("PV control interface not available"), refused.err());
        host.xl("shutdown", "-F", "xs-nopv").expectOk();
        guests.awaitGone("xs-nopv");
    }

    @Test
    void destroyLeavesNoNodesAndACrashFiresReleaseDomain() throws Exception {
        try (Spawned watch = new Spawned("xenstore-watch", "@releaseDomain")) {
            Host.await(() -> watch.count("@releaseDomain") >= 1, Guests.TIMEOUT_MS, "the watch's first event");
            int crashed = guests.start("xs-crash", "crash", "on_crash = \"preserve\"");
            Host.await(() -> watch.count("@releaseDomain") >= 2, Guests.TIMEOUT_MS, "@releaseDomain on the crash");
            String uuid = host.domain("xs-crash").orElseThrow().getUuid();
            host.xl("destroy", "xs-crash").expectOk();
            guests.awaitGone("xs-crash");
            assertTrue(!exists("/local/domain/" + crashed));
            assertTrue(!exists("/vm/" + uuid));
            assertTrue(!exists("/libxl/" + crashed));
        }
    }

    @Test
    void theGuestsXenstoreAppReportsOnItsConsole() throws Exception {
        int domid = guests.create("xs-app", "xenstore");
        String log = guests.awaitConsole("xs-app", "xenstore: idling");
        List<String> lines = new ArrayList<>(log.lines().filter(l -> l.startsWith("xenstore: ")).toList());
        assertEquals(List.of("xenstore: write data/hello = OK", "xenstore: data/hello = world",
                "xenstore: name = xs-app", "xenstore: domid = " + domid, "xenstore: data = hello",
                "xenstore: write /local/domain/0/forbidden = EACCES", "xenstore: watch data/ping = OK",
                "xenstore: idling"), lines, log);
        assertEquals("world", read("/local/domain/" + domid + "/data/hello"));
        xs("xenstore-write", "/local/domain/" + domid + "/data/ping", "marco").expectOk();
        guests.awaitConsole("xs-app", "xenstore: ping = marco");
        assertEquals("marco", read("/local/domain/" + domid + "/data/pong"));
    }
}
