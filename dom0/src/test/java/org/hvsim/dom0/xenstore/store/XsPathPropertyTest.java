package org.hvsim.dom0.xenstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.hvsim.hv.abi.xenstore.XsdError;

/** The path choke point accepts exactly the well-formed paths and nothing escapes it but EINVAL. */
class XsPathPropertyTest {

    @Provide
    Arbitrary<String> elements() {
        return Arbitraries.strings().withChars("abcXYZ019-_@").ofMinLength(1).ofMaxLength(12);
    }

    @Provide
    Arbitrary<List<String>> paths() {
        return elements().list().ofMinSize(1).ofMaxSize(8);
    }

    @Property
    void wellFormedAbsolutePathsAreAcceptedUnchanged(@ForAll("paths") List<String> parts) {
        String p = "/" + String.join("/", parts);
        assertEquals(p, XsPath.canonicalize(p, "/local/domain/3", false, 0));
    }

    @Property
    void relativePathsLandUnderTheHome(@ForAll("paths") List<String> parts, @ForAll @IntRange(max = 0x7fef) int domid) {
        String rel = String.join("/", parts);
        if (rel.startsWith("@")) {
            return;
        }
        String home = XsPath.domainPath(domid);
        String abs = XsPath.canonicalize(rel, home, false, 0);
        assertEquals(home + "/" + rel, abs);
        assertTrue(XsPath.isChild(abs, home, -1));
    }

    @Property
    void anyStringIsEitherAValidPathOrEinval(@ForAll String raw, @ForAll boolean special,
            @ForAll @IntRange(max = 4000) int pathMax) {
        try {
            String p = XsPath.canonicalize(raw, "/local/domain/9", special, pathMax);
            assertTrue(p.startsWith("/") || (special && p.startsWith("@")));
            assertTrue(XsPath.validChars(p));
            assertFalse(p.contains("//"));
            assertTrue(p.equals("/") || !p.endsWith("/"));
            assertTrue(p.length() <= XsPath.ABS_PATH_MAX);
            assertTrue(pathMax == 0 || p.length() - XsPath.localOffset(p) <= pathMax);
        } catch (XenstoreException e) {
            assertEquals(XsdError.EINVAL, e.error());
        }
    }

    @Property
    void parentOfAChildIsTheParent(@ForAll("paths") List<String> parts, @ForAll("elements") String name) {
        String p = "/" + String.join("/", parts);
        String c = XsPath.child(p, name);
        assertEquals(p, XsPath.parent(c));
        assertEquals(name, XsPath.basename(c));
        assertTrue(XsPath.isChild(c, p, 1));
        assertFalse(XsPath.isChild(c, p, 0));
        assertFalse(XsPath.isChild(p, c, -1));
    }
}
