package org.hvsim.dom0.xenstore.core;

import static org.hvsim.hv.abi.xenstore.XsdSockmsgType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Owner and default access, per-domain entries, dom0 bypass, inheritance, who may change what. */
class PermissionRulesTest {
    final CoreHarness h = new CoreHarness();
    final CoreHarness.Client dom0 = h.dom0();
    CoreHarness.Client d5;
    CoreHarness.Client d6;

    @BeforeEach
    void layout() {
        d5 = h.domU(5);
        d6 = h.domU(6);
        dom0.write("/local/domain/5/name", "five");
        dom0.setPerms("/local/domain/5", "n0", "r5");
        dom0.setPerms("/local/domain/5/name", "n0", "r5");
        dom0.write("/local/domain/5/data", "");
        dom0.setPerms("/local/domain/5/data", "n5");
    }

    @Test
    void domainReadsWhatItIsGrantedOnly() {
        assertEquals("five", d5.read("/local/domain/5/name"));
        assertEquals(XsdError.EACCES, d6.error(XS_READ, "/local/domain/5/name"));
        assertEquals(XsdError.EACCES, d5.writeError("/local/domain/5/name", "x"));
        assertEquals(XsdError.EACCES, d5.error(XS_READ, "/tool"));
    }

    @Test
    void ownerHasFullAccessAndDefaultLetterAppliesToOthers() {
        d5.write("/local/domain/5/data/a", "1");
        assertEquals(List.of("n5"), d5.perms("/local/domain/5/data/a"));
        assertEquals(XsdError.EACCES, d6.error(XS_READ, "/local/domain/5/data/a"));
        d5.setPerms("/local/domain/5/data/a", "r5");
        assertEquals("1", d6.read("/local/domain/5/data/a"));
        assertEquals(XsdError.EACCES, d6.writeError("/local/domain/5/data/a", "x"));
        d5.setPerms("/local/domain/5/data/a", "w5");
        assertEquals(XsdError.EACCES, d6.error(XS_READ, "/local/domain/5/data/a"));
        d5.setPerms("/local/domain/5/data/a", "n5", "b6");
        assertEquals("1", d6.read("/local/domain/5/data/a"));
        d6.write("/local/domain/5/data/a", "2");
        assertEquals("2", d5.read("/local/domain/5/data/a"));
    }

    @Test
    void specificEntryOverridesDefault() {
        dom0.write("/shared", "s");
        dom0.setPerms("/shared", "r0", "n6");
        assertEquals("s", d5.read("/shared"));
        assertEquals(XsdError.EACCES, d6.error(XS_READ, "/shared"));
    }

    @Test
    void dom0BypassesEverything() {
        d5.write("/local/domain/5/data/private", "p");
        assertEquals("p", dom0.read("/local/domain/5/data/private"));
        dom0.write("/local/domain/5/data/private", "q");
        dom0.setPerms("/local/domain/5/data/private", "n6");
        assertEquals(List.of("n6"), dom0.perms("/local/domain/5/data/private"));
    }

    @Test
    void createdNodesInheritPermsAndUnprivilegedCreatorBecomesOwner() {
        dom0.setPerms("/local/domain/5/data", "n5", "r6");
        d5.write("/local/domain/5/data/x/y", "v");
        assertEquals(List.of("n5", "r6"), d5.perms("/local/domain/5/data/x"));
        assertEquals(List.of("n5", "r6"), d5.perms("/local/domain/5/data/x/y"));
        dom0.write("/local/domain/5/data/z", "");
        assertEquals(List.of("n5", "r6"), dom0.perms("/local/domain/5/data/z"));
        dom0.write("/local/domain/5/data2", "");
        assertEquals(List.of("n0", "r5"), dom0.perms("/local/domain/5/data2"));
        dom0.ok(XS_MKDIR, "/local/domain/6");
        dom0.setPerms("/local/domain/6", "n0", "w6");
        d6.write("/local/domain/6/made-by-6", "");
        assertEquals(List.of("n6", "w6"), dom0.perms("/local/domain/6/made-by-6"));
        h.assertConsistent();
    }

    @Test
    void onlyDom0ChangesOwnerAndOnlyOwnerSetsPerms() {
        d5.write("/local/domain/5/data/o", "");
        assertEquals(XsdError.EPERM, d5.error(XS_SET_PERMS, "/local/domain/5/data/o", "n6"));
        dom0.setPerms("/local/domain/5/data/o", "n5", "b6");
        assertEquals(XsdError.EACCES, d6.error(XS_SET_PERMS, "/local/domain/5/data/o", "n5", "b6", "r7"));
        dom0.setPerms("/local/domain/5/data/o", "n6");
        assertEquals(List.of("n6"), d6.perms("/local/domain/5/data/o"));
    }

    @Test
    void missingNodeIsEnoentOnlyIfTheNearestParentWouldAllowIt() {
        assertEquals(XsdError.ENOENT, d5.error(XS_READ, "/local/domain/5/nothing"));
        assertEquals(XsdError.EACCES, d6.error(XS_READ, "/local/domain/5/nothing/deeper"));
        assertEquals(XsdError.EACCES, d5.writeError("/local/domain/5/nothing", "x"));
        assertEquals(XsdError.EACCES, d6.error(XS_MKDIR, "/local/domain/5/data/new"));
        assertEquals(XsdError.EACCES, d6.error(XS_RM, "/local/domain/5/data"));
        assertEquals(XsdError.EACCES, d6.error(XS_RM, "/local/domain/5/data/nothing"));
        d5.ok(XS_RM, "/local/domain/5/data/nothing");
    }

    @Test
    void permissionsOfAGoneDomainDoNotPassToANewDomainWithTheSameId() {
        dom0.write("/grant", "g");
        dom0.setPerms("/grant", "n0", "r6");
        assertEquals("g", d6.read("/grant"));
        h.core.release(6);
        CoreHarness.Client newD6 = h.domU(6);
        assertEquals(XsdError.EACCES, newD6.error(XS_READ, "/grant"));
        assertEquals(List.of("n0", "r6"), dom0.perms("/grant"));
        dom0.setPerms("/grant", "n0", "r6");
        assertEquals("g", newD6.read("/grant"));
    }

    @Test
    void ownerThatDoesNotExistIsEnoentAndOtherUnknownDomainsGrantNothing() {
        CoreHarness strict = new CoreHarness(domid -> domid == 0 || domid == 5);
        CoreHarness.Client s0 = strict.dom0();
        CoreHarness.Client s5 = strict.domU(5);
        s0.write("/n", "v");
        assertEquals(XsdError.ENOENT, s0.error(XS_SET_PERMS, "/n", "n9"));
        s0.setPerms("/n", "n0", "r9", "r5");
        assertEquals("v", s5.read("/n"));
        assertEquals(List.of("n0", "r9", "r5"), s0.perms("/n"));
    }
}
