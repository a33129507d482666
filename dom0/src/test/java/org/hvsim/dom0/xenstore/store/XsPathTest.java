package org.hvsim.dom0.xenstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.Test;

class XsPathTest {
    private static final String HOME = "/local/domain/7";

    private static String canon(String raw, boolean special, long max) {
        return XsPath.canonicalize(raw, HOME, special, max);
    }

    private static void invalid(String raw, boolean special, long max) {
        XenstoreException e = assertThrows(XenstoreException.class, () -> canon(raw, special, max), raw);
        assertEquals(XsdError.EINVAL, e.error());
    }

    @Test
    void absoluteRelativeAndSpecial() {
        assertEquals("/", canon("/", false, 0));
        assertEquals("/a/b-c_d@e", canon("/a/b-c_d@e", false, 0));
        assertEquals(HOME + "/data/x", canon("data/x", false, 0));
        assertEquals("@releaseDomain/5", canon("@releaseDomain/5", true, 0));
        invalid("@releaseDomain", false, 0);
        invalid(null, false, 0);
    }

    @Test
    void rejectsBadShapes() {
        for (String s : new String[] {"", "/a/", "//", "/a//b", "a/", "/a b", "/a.b", "/a\0b", "/ä", "@x//y"}) {
            invalid(s, true, 0);
        }
    }

    @Test
    void absoluteLimitForEveryoneRelativeQuotaForDomains() {
        String ok = "/" + "a".repeat(XsPath.ABS_PATH_MAX - 1);
        assertEquals(ok, canon(ok, false, 0));
        invalid(ok + "a", false, 0);
        assertEquals(HOME + "/" + "b".repeat(10), canon("b".repeat(10), false, 10));
        invalid("b".repeat(11), false, 10);
        assertEquals("/x/" + "c".repeat(7), canon("/x/" + "c".repeat(7), false, 10));
        invalid("/x/" + "c".repeat(8), false, 10);
    }

    @Test
    void localOffsetIsTheDomainHomePrefix() {
        assertEquals("/local/domain/12/".length(), XsPath.localOffset("/local/domain/12/x"));
        assertEquals(0, XsPath.localOffset("/local/domain/12"));
        assertEquals(0, XsPath.localOffset("/local/domain/123456/x"));
        assertEquals(0, XsPath.localOffset("/local/domain/x/y"));
        assertEquals(0, XsPath.localOffset("/vm/1/x"));
    }

    @Test
    void parentBasenameChild() {
        assertEquals("/", XsPath.parent("/a"));
        assertEquals("/a", XsPath.parent("/a/b"));
        assertEquals("/", XsPath.parent("/"));
        assertEquals("@releaseDomain", XsPath.parent("@releaseDomain/3"));
        assertEquals("b", XsPath.basename("/a/b"));
        assertEquals("/a", XsPath.child("/", "a"));
        assertEquals("/a/b", XsPath.child("/a", "b"));
    }

    @Test
    void isChildWithDepth() {
        assertTrue(XsPath.isChild("/a", "/a", 0));
        assertTrue(XsPath.isChild("/a/b", "/a", -1));
        assertFalse(XsPath.isChild("/a/b", "/a", 0));
        assertTrue(XsPath.isChild("/a/b", "/a", 1));
        assertFalse(XsPath.isChild("/a/b/c", "/a", 1));
        assertFalse(XsPath.isChild("/ab", "/a", -1));
        assertTrue(XsPath.isChild("/x", "/", -1));
        assertTrue(XsPath.isChild("/x", "/", 1));
        assertFalse(XsPath.isChild("/x/y", "/", 1));
        assertFalse(XsPath.isChild("@releaseDomain", "/", -1));
        assertTrue(XsPath.isChild("@releaseDomain/4", "@releaseDomain", 1));
    }
}
