package org.hvsim.dom0.xenstore.core;

import static org.hvsim.hv.abi.xenstore.XsdSockmsgType.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.Test;

/** READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART, GET_PERMS, SET_PERMS: payloads and errors. */
class NodeRequestsTest {
    final CoreHarness h = new CoreHarness();
    final CoreHarness.Client dom0 = h.dom0();

    @Test
    void initialTreeIsCXenstoredsAndHasNoLocalDomain() {
        assertEquals(List.of("tool"), dom0.directory("/"));
        assertEquals(List.of("xenstored"), dom0.directory("/tool"));
        assertEquals(List.of(), dom0.directory("/tool/xenstored"));
        assertEquals(List.of("n0"), dom0.perms("/"));
        assertEquals(List.of("n0"), dom0.perms("@releaseDomain"));
        assertEquals(List.of("n0"), dom0.perms("@introduceDomain"));
        assertEquals(XsdError.ENOENT, dom0.error(XS_READ, "/local"));
        h.assertConsistent();
    }

    @Test
    void readReturnsRawValueWithoutNul() {
        dom0.write("/a", "hello");
        assertArrayEquals(new byte[] {'h', 'e', 'l', 'l', 'o'}, dom0.ok(XS_READ, "/a"));
    }

    @Test
    void writeKeepsBinaryValueWithNuls() {
        byte[] payload = {'/', 'b', 0, 1, 0, 2, 0};
        assertEquals(XS_WRITE.number(), dom0.send(XS_WRITE, payload).type());
        assertArrayEquals(new byte[] {1, 0, 2, 0}, dom0.ok(XS_READ, "/b"));
        assertArrayEquals(XsPayload.OK, dom0.send(XS_WRITE, payload).payload());
    }

    @Test
    void writeCreatesMissingParentsWithEmptyValues() {
        dom0.write("/x/y/z", "v");
        assertEquals("", dom0.read("/x"));
        assertEquals("", dom0.read("/x/y"));
        assertEquals("v", dom0.read("/x/y/z"));
        assertEquals(List.of("tool", "x"), dom0.directory("/"));
        h.assertConsistent();
    }

    @Test
    void writeWithoutNulIsEinval() {
        assertEquals(XsdError.EINVAL, dom0.error(XS_WRITE, new byte[] {'/', 'a'}));
        assertEquals(XsdError.EINVAL, dom0.error(XS_WRITE, new byte[0]));
    }

    @Test
    void mkdirCreatesButLeavesExistingValues() {
        dom0.write("/m/n", "keep");
        dom0.ok(XS_MKDIR, "/m/n");
        assertEquals("keep", dom0.read("/m/n"));
        dom0.ok(XS_MKDIR, "/m/o/p");
        assertEquals(List.of("n", "o"), dom0.directory("/m"));
        assertEquals("", dom0.read("/m/o/p"));
    }

    @Test
    void rmIsRecursiveAndTolerantOfAbsentNodeButNotOfAbsentParent() {
        dom0.write("/r/a/b/c", "1");
        dom0.write("/r/a/d", "2");
        dom0.ok(XS_RM, "/r/a");
        assertEquals(List.of(), dom0.directory("/r"));
        assertEquals(XsdError.ENOENT, dom0.error(XS_READ, "/r/a/d"));
        dom0.ok(XS_RM, "/r/gone");
        assertEquals(XsdError.ENOENT, dom0.error(XS_RM, "/r/gone/deeper"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_RM, "/"));
        h.assertConsistent();
    }

    @Test
    void directoryListsChildrenInCreationOrderEachWithNul() {
        dom0.write("/d/zeta", "");
        dom0.write("/d/alpha", "");
        dom0.write("/d/mid", "");
        assertArrayEquals("zeta\0alpha\0mid\0".getBytes(), dom0.ok(XS_DIRECTORY, "/d"));
        assertArrayEquals(new byte[0], dom0.ok(XS_DIRECTORY, "/d/mid"));
    }

    @Test
    void replyOver4096BytesIsE2bigAndDirectoryPartReadsIt() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String n = "child-number-" + i;
            names.add(n);
            dom0.write("/big/" + n, "");
        }
        assertEquals(XsdError.E2BIG, dom0.error(XS_DIRECTORY, "/big"));
        List<String> got = new ArrayList<>();
        String gen = null;
        int off = 0;
        while (true) {
            byte[] r = dom0.ok(XS_DIRECTORY_PART, "/big", Integer.toString(off));
            assertTrue(r.length <= 4096);
            int nul = XsPayload.indexOfNul(r, 0);
            String g = XsPayload.latin1(r, 0, nul);
            if (gen != null) {
                assertEquals(gen, g, "generation is stable while the node is unchanged");
            }
            gen = g;
            boolean end = r.length - nul - 1 == 1 || r[r.length - 2] == 0;
            byte[] data = java.util.Arrays.copyOfRange(r, nul + 1, r.length - (end ? 1 : 0));
            got.addAll(XsPayload.strings(data));
            off += data.length;
            if (end) {
                break;
            }
        }
        assertEquals(names, got);
        byte[] past = dom0.ok(XS_DIRECTORY_PART, "/big", "999999");
        assertEquals(0, past[past.length - 1]);
        assertEquals(0, past[past.length - 2]);
        assertEquals(XsdError.EINVAL, dom0.error(XS_DIRECTORY_PART, "/big"));
    }

    @Test
    void invalidPathsAreEinval() {
        for (String bad : List.of("", "/a//b", "/a/", "/a b", "/a\u00e9", "@releaseDomain", "/a/b\\c")) {
            assertEquals(XsdError.EINVAL, dom0.error(XS_READ, bad), bad);
        }
        assertEquals(XsdError.EINVAL, dom0.error(XS_READ, "/" + "a".repeat(3072)));
        assertEquals(XsdError.EINVAL, dom0.error(XS_READ, new byte[] {'/', 'a'}));
        assertEquals(XsdError.EINVAL, dom0.error(XS_READ, new byte[] {'/', 'a', 0, 'x', 0}));
        assertEquals(XsdError.EINVAL, dom0.writeError("/trailing/", "v"));
    }

    @Test
    void relativePathsResolveAgainstTheConnectionsHome() {
        dom0.write("data/x", "0");
        assertEquals("0", dom0.read("/local/domain/0/data/x"));
        CoreHarness.Client d5 = h.domU(5);
        dom0.write("/local/domain/5/data", "");
        dom0.setPerms("/local/domain/5/data", "n5");
        d5.write("data/y", "5");
        assertEquals("5", dom0.read("/local/domain/5/data/y"));
    }

    @Test
    void getPermsAndSetPermsRoundTrip() {
        dom0.write("/p", "");
        dom0.setPerms("/p", "b7", "r3", "w4", "n5");
        assertEquals(List.of("b7", "r3", "w4", "n5"), dom0.perms("/p"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_SET_PERMS, "/p"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_SET_PERMS, "/p", "x1"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_SET_PERMS, "/p", "r"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_SET_PERMS, "/p", "r1x"));
        assertEquals(XsdError.ENOENT, dom0.error(XS_SET_PERMS, "/nope", "n0"));
        dom0.setPerms("@releaseDomain", "n0", "r5");
        assertEquals(List.of("n0", "r5"), dom0.perms("@releaseDomain"));
        assertEquals(XsdError.ENOENT, dom0.error(XS_GET_PERMS, "@other"));
    }

    @Test
    void everySuccessfulRequestEchoesTypeReqIdAndTxId() {
        XsMessage r = dom0.send(XS_WRITE.number(), 0, "/e\0v".getBytes());
        assertEquals(XS_WRITE.number(), r.type());
        assertArrayEquals(XsPayload.OK, r.payload());
    }
}
