package org.hvsim.dom0.xenstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.Test;

class XsPermissionTest {

    @Test
    void parsesAndFormatsTheFourLetters() {
        assertEquals(new XsPermission(5, XsPermission.READ), XsPermission.parse("r5"));
        assertEquals(new XsPermission(0, XsPermission.WRITE), XsPermission.parse("w0"));
        assertEquals(new XsPermission(65535, XsPermission.READ | XsPermission.WRITE), XsPermission.parse("b65535"));
        assertEquals(new XsPermission(12, XsPermission.NONE), XsPermission.parse("n12"));
        for (String s : List.of("r5", "w0", "b65535", "n12")) {
            assertEquals(s, XsPermission.parse(s).toString());
        }
        assertEquals("r3", XsPermission.parse("r3").asIgnored().toString());
    }

    @Test
    void rejectsAnythingElse() {
        for (String s : List.of("", "r", "x1", "r-1", "r65536", "r1a", "R1", "r 1", "r1234567")) {
            assertEquals(XsdError.EINVAL, assertThrows(XenstoreException.class, () -> XsPermission.parse(s)).error(), s);
        }
    }

    @Test
    void accessRule() {
        List<XsPermission> perms = List.of(XsPermission.parse("r5"), XsPermission.parse("b6"), XsPermission.parse("n7"),
                XsPermission.parse("w8").asIgnored());
        assertEquals(Permissions.ALL, Permissions.forDomain(perms, 5, false));
        assertEquals(XsPermission.READ | XsPermission.WRITE, Permissions.forDomain(perms, 6, false));
        assertEquals(XsPermission.NONE, Permissions.forDomain(perms, 7, false));
        assertEquals(XsPermission.READ, Permissions.forDomain(perms, 8, false), "ignored entries fall back to the default");
        assertEquals(XsPermission.READ, Permissions.forDomain(perms, 9, false));
        assertEquals(Permissions.ALL, Permissions.forDomain(perms, 9, true));
    }
}
