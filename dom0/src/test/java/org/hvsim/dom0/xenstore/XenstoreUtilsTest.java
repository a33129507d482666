package org.hvsim.dom0.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's xenstore-utils (libxenstore) against our socket, when they are installed (the CI installs
 * them): the same commands a user types against Xen's xenstored.
 */
class XenstoreUtilsTest {
    @TempDir
    Path dir;
    Xenstored xs;
    Path socket;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(ExternalTool.installed("/usr/bin/xenstore-read"), "xenstore-utils not installed");
        xs = Xenstored.builder().build();
        socket = dir.resolve("socket");
        xs.start(socket);
    }

    @AfterEach
    void stop() {
        if (xs != null) {
            xs.close();
        }
    }

    private ExternalTool run(String... cmd) throws Exception {
        return ExternalTool.run(socket, List.of(cmd));
    }

    private ExternalTool ok(String... cmd) throws Exception {
        ExternalTool r = run(cmd);
        assertEquals(0, r.exitCode(), () -> String.join(" ", cmd) + ": " + r.stderr());
        return r;
    }

    @Test
    void writeReadListExistsRm() throws Exception {
        ok("/usr/bin/xenstore-write", "/local/domain/5/name", "guest", "/vm/abc/uuid", "abc");
        assertEquals("guest\n", ok("/usr/bin/xenstore-read", "/local/domain/5/name").stdout());
        assertEquals("name\n", ok("/usr/bin/xenstore-list", "/local/domain/5").stdout());
        ok("/usr/bin/xenstore-exists", "/vm/abc");
        ok("/usr/bin/xenstore-rm", "/vm/abc");
        assertFalse(run("/usr/bin/xenstore-exists", "/vm/abc").exitCode() == 0);
        assertTrue(run("/usr/bin/xenstore-read", "/nonexistent").exitCode() != 0);
    }

    @Test
    void relativePathsResolveUnderDom0() throws Exception {
        ok("/usr/bin/xenstore-write", "data/x", "1");
        try (XenstoreClient c = xs.client()) {
            assertEquals("1", c.readString("/local/domain/0/data/x"));
        }
    }

    @Test
    void lsShowsTreeAndPermissions() throws Exception {
        ok("/usr/bin/xenstore-write", "/local/domain/3/memory/target", "524288");
        String ls = ok("/usr/bin/xenstore-ls", "/local/domain/3").stdout();
        assertTrue(ls.contains("memory = \"\""), ls);
        assertTrue(ls.contains(" target = \"524288\""), ls);
        ok("/usr/bin/xenstore-chmod", "/local/domain/3", "n0", "r3");
        String perms = ok("/usr/bin/xenstore-ls", "-p", "/local/domain").stdout();
        assertTrue(perms.contains("(n0,r3)"), perms);
        try (XenstoreClient c = xs.client()) {
            assertEquals(List.of(XsPermission.parse("n0"), XsPermission.parse("r3")), c.getPerms("/local/domain/3"));
        }
    }

    @Test
    void watchSeesInitialEventAndChange() throws Exception {
        ok("/usr/bin/xenstore-write", "/w", "");
        try (XenstoreClient c = xs.client()) {
            ExternalTool[] result = new ExternalTool[1];
            Thread watcher = Thread.ofVirtual().start(() -> {
                try {
                    result[0] = run("/usr/bin/xenstore-watch", "-n", "2", "/w");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitDom0Watches(c, 1);
            c.write("/w/child", "v");
            watcher.join();
            assertEquals(0, result[0].exitCode(), result[0].stderr());
            assertEquals("/w\n/w/child\n", result[0].stdout());
        }
    }

    /** Polls xenstored's accounting until dom0's clients hold {@code n} watches. */
    static void awaitDom0Watches(XenstoreClient c, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : c.control("quota", "0").split("\n")) {
                if (line.startsWith("watches ") && Integer.parseInt(line.split(":")[1].trim().split(" ")[0]) >= n) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no watch registered in time");
    }

    @Test
    void pyxsTransactionFailsWithEagainAfterConflictingWrite() throws Exception {
        assumeTrue(ExternalTool.installed("/usr/bin/python3"), "no Debian python3");
        String script = String.join("\n",
                "from pyxs import Client",
                "with Client() as c, Client() as other:",
                "    c.write(b'/t/a', b'a')",
                "    c.transaction()",
                "    assert c.read(b'/t/a') == b'a'",
                "    other.write(b'/t/a', b'b')",
                "    assert c.read(b'/t/a') == b'a'",
                "    c.write(b'/t/a', b'c')",
                "    print(c.commit(), c.read(b'/t/a').decode())",
                "    c.transaction()",
                "    c.write(b'/t/a', b'd')",
                "    print(c.commit(), c.read(b'/t/a').decode())",
                "");
        ExternalTool r = run("/usr/bin/python3", "-c", script);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("False b\nTrue d\n", r.stdout());
    }

    @Test
    void recursiveChmodAndRmWithEmptyParents() throws Exception {
        ok("/usr/bin/xenstore-write", "/t/a/b", "1", "/t/a/c", "2");
        ok("/usr/bin/xenstore-chmod", "-r", "/t/a", "n0", "r4");
        try (XenstoreClient c = xs.client()) {
            assertEquals(List.of(XsPermission.parse("n0"), XsPermission.parse("r4")), c.getPerms("/t/a/c"));
        }
        ok("/usr/bin/xenstore-rm", "/t/a/b");
        ok("/usr/bin/xenstore-rm", "-t", "/t/a/c");
        assertFalse(run("/usr/bin/xenstore-exists", "/t").exitCode() == 0, "-t removed the emptied parents");
    }

    @Test
    void largeDirectoryComesInParts() throws Exception {
        try (XenstoreClient c = xs.client()) {
            for (int i = 0; i < 400; i++) {
                c.write("/big/child-with-a-long-name-" + i, "");
            }
        }
        String out = ok("/usr/bin/xenstore-list", "/big").stdout();
        assertEquals(400, out.lines().count());
    }
}
