package org.hvsim.dom0.xenstore.core;

import static org.hvsim.hv.abi.xenstore.XsdSockmsgType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.Test;

/** INTRODUCE, RELEASE, RESUME, IS_DOMAIN_INTRODUCED, GET_DOMAIN_PATH over the wire and from the toolstack. */
class DomainLifecycleTest {
    final CoreHarness h = new CoreHarness();
    final CoreHarness.Client dom0 = h.dom0();

    private String text(byte[] r) {
        return new String(r).replace("\0", "|");
    }

    @Test
    void introduceOverTheWire() {
        dom0.watch("@introduceDomain", "in");
        dom0.takeEvents();
        assertEquals("F|", text(dom0.ok(XS_IS_DOMAIN_INTRODUCED, "4")));
        dom0.ok(XS_INTRODUCE, "4", "1234", "7");
        assertEquals("T|", text(dom0.ok(XS_IS_DOMAIN_INTRODUCED, "4")));
        assertEquals(List.of("@introduceDomain in"), dom0.takeEvents());
        dom0.ok(XS_INTRODUCE, "4", "1234", "8");
        assertEquals(List.of(), dom0.takeEvents(), "introducing again fires nothing");
        assertEquals(XsdError.EINVAL, dom0.error(XS_INTRODUCE, "4", "1234"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_INTRODUCE, "4", "1234", "0"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_INTRODUCE, "0", "1", "1"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_INTRODUCE, "32752", "1", "1"));
    }

    @Test
    void isDomainIntroducedForDom0AndSelf() {
        assertEquals("T|", text(dom0.ok(XS_IS_DOMAIN_INTRODUCED, "0")));
        assertEquals("T|", text(dom0.ok(XS_IS_DOMAIN_INTRODUCED, "32752")));
        assertEquals("T|", text(dom0.ok(XS_IS_DOMAIN_INTRODUCED, "junk")), "atoi reads junk as 0, and dom0 is introduced");
        assertEquals("F|", text(dom0.ok(XS_IS_DOMAIN_INTRODUCED, "65535")));
        assertEquals(XsdError.EINVAL, dom0.error(XS_IS_DOMAIN_INTRODUCED, new byte[0]));
    }

    @Test
    void getDomainPathReadsTheDomidLikeAtoi() {
        assertEquals("/local/domain/12|", text(dom0.ok(XS_GET_DOMAIN_PATH, "12")));
        assertEquals("/local/domain/12|", text(dom0.ok(XS_GET_DOMAIN_PATH, " 12abc")));
        assertEquals("/local/domain/4294967295|", text(dom0.ok(XS_GET_DOMAIN_PATH, "-1")));
        assertEquals(XsdError.EINVAL, dom0.error(XS_GET_DOMAIN_PATH, "1", "2"));
    }

    @Test
    void releaseAndResume() {
        h.domU(5);
        assertEquals(XsdError.EINVAL, dom0.error(XS_RELEASE, "0"));
        assertEquals(XsdError.ENOENT, dom0.error(XS_RELEASE, "6"));
        assertEquals(XsdError.ENOENT, dom0.error(XS_RESUME, "6"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_RESUME, "0"));
        dom0.ok(XS_RESUME, "5");
        dom0.ok(XS_RELEASE, "5");
        assertEquals("F|", text(dom0.ok(XS_IS_DOMAIN_INTRODUCED, "5")));
        assertEquals(XsdError.ENOENT, dom0.error(XS_RELEASE, "5"));
    }

    @Test
    void releaseKeepsNodesButGivesTheDomainsOwnNodesToDom0() {
        CoreHarness.Client d5 = h.domU(5);
        dom0.write("/local/domain/5/data", "");
        dom0.setPerms("/local/domain/5/data", "n5");
        d5.write("/local/domain/5/data/mine", "v");
        h.core.release(5);
        assertEquals("v", dom0.read("/local/domain/5/data/mine"));
        assertEquals(List.of("n0"), dom0.perms("/local/domain/5/data/mine"));
        assertEquals(List.of("n0"), dom0.perms("/local/domain/5/data"));
        h.assertConsistent();
        CoreHarness.Client again = h.domU(5);
        assertEquals(XsdError.EACCES, again.error(XS_READ, "/local/domain/5/data/mine"));
    }

    @Test
    void releaseDropsTheDomainsTransactions() {
        CoreHarness.Client d5 = h.domU(5);
        d5.start();
        assertEquals(1, h.core.domains().find(5).usage(Quota.TRANSACTIONS));
        h.core.release(5);
        assertTrue(d5.conn.transportClosed);
        assertEquals(0, d5.conn.transactions().size());
    }

    @Test
    void toolstackReleaseOfAnUnknownDomainIsEnoent() {
        XenstoreException e = org.junit.jupiter.api.Assertions.assertThrows(XenstoreException.class,
                () -> h.core.release(42));
        assertEquals(XsdError.ENOENT, e.error());
    }
}
