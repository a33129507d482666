package org.hvsim.dom0.xenstore.core;

import static org.hvsim.hv.abi.xenstore.XsdSockmsgType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.Test;

/** When watches fire, with which path, for whom; special watches; transactions fire at commit. */
class WatchRulesTest {
    final CoreHarness h = new CoreHarness();
    final CoreHarness.Client dom0 = h.dom0();
    final CoreHarness.Client other = h.dom0();

    @Test
    void firesOnceOnRegistrationAfterTheAck() {
        dom0.watch("/w", "tok");
        List<XsMessage> all = dom0.conn.all;
        assertEquals(XS_WATCH.number(), all.get(all.size() - 2).type());
        assertEquals(XS_WATCH_EVENT.number(), all.getLast().type());
        assertEquals(0, all.getLast().header().reqId());
        assertEquals(0, all.getLast().header().txId());
        assertEquals(List.of("/w tok"), dom0.takeEvents());
    }

    @Test
    void createModifyDeleteAndPermChangeAtOrBelowFire() {
        dom0.watch("/w", "t");
        dom0.takeEvents();
        other.write("/w/a/b", "1");
        other.write("/w/a/b", "2");
        other.setPerms("/w/a", "n0", "r3");
        other.ok(XS_RM, "/w/a");
        other.write("/elsewhere", "x");
        other.write("/wx", "not below /w");
        assertEquals(List.of("/w/a/b t", "/w/a/b t", "/w/a t", "/w/a t"), dom0.takeEvents(),
                "removing /w/a reports /w/a to a watch on /w, not each removed node below it");
    }

    @Test
    void mkdirOfExistingNodeFiresNothing() {
        other.write("/m", "");
        dom0.watch("/m", "t");
        dom0.takeEvents();
        other.ok(XS_MKDIR, "/m");
        assertEquals(List.of(), dom0.takeEvents());
    }

    @Test
    void removingAParentReportsTheWatchedPath() {
        other.write("/p/q/r", "");
        dom0.watch("/p/q/r", "deep");
        dom0.watch("/p", "top");
        dom0.takeEvents();
        other.ok(XS_RM, "/p/q");
        assertEquals(List.of("/p/q/r deep", "/p/q top"), dom0.takeEvents());
    }

    @Test
    void relativeWatchGetsRelativeEventPaths() {
        dom0.watch("data", "rel");
        assertEquals(List.of("data rel"), dom0.takeEvents());
        other.write("/local/domain/0/data/x", "1");
        assertEquals(List.of("data/x rel"), dom0.takeEvents());
    }

    @Test
    void depthLimitsLevels() {
        dom0.ok(XS_WATCH, "/d", "zero", "0");
        dom0.ok(XS_WATCH, "/d", "one", "1");
        dom0.takeEvents();
        other.write("/d", "");
        other.write("/d/a", "");
        other.write("/d/a/b", "");
        assertEquals(List.of("/d zero", "/d one", "/d/a one"), dom0.takeEvents());
        assertEquals(XsdError.EINVAL, dom0.error(XS_WATCH, "/d", "neg", "-1"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_WATCH, "/d", "many", "1", "2"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_WATCH, "/d"));
    }

    @Test
    void watchOnRootSeesEverythingButSpecialPaths() {
        dom0.watch("/", "root");
        dom0.takeEvents();
        other.write("/any/thing", "");
        h.core.domainShutdown(99);
        assertEquals(List.of("/any/thing root"), dom0.takeEvents());
    }

    @Test
    void duplicateWatchIsEexistAndUnwatchOfUnknownIsEnoent() {
        dom0.watch("/dup", "t");
        assertEquals(XsdError.EEXIST, dom0.error(XS_WATCH, "/dup", "t"));
        dom0.watch("/dup", "t2");
        dom0.ok(XS_UNWATCH, "/dup", "t");
        assertEquals(XsdError.ENOENT, dom0.error(XS_UNWATCH, "/dup", "t"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_UNWATCH, "/dup"));
        dom0.takeEvents();
        other.write("/dup", "");
        assertEquals(List.of("/dup t2"), dom0.takeEvents());
    }

    @Test
    void eventsOnlyForNodesTheWatcherMayReadOrWhoseParentItMayReadOrCouldReadBefore() {
        CoreHarness.Client d5 = h.domU(5);
        other.write("/pub", "");
        other.setPerms("/pub", "n0", "r5");
        other.write("/pub/secret", "");
        other.setPerms("/pub/secret", "n0");
        other.write("/pub/secret/deeper", "");
        other.write("/pub/secret/open", "");
        other.setPerms("/pub/secret/open", "n0", "r5");
        d5.watch("/pub", "w");
        d5.takeEvents();
        other.write("/pub/secret", "changed");
        assertEquals(List.of("/pub/secret w"), d5.takeEvents(), "the parent is readable");
        other.write("/pub/secret/deeper", "x");
        assertEquals(List.of(), d5.takeEvents(), "neither node nor parent readable");
        other.write("/pub/secret/open", "x");
        assertEquals(List.of("/pub/secret/open w"), d5.takeEvents());
        other.setPerms("/pub/secret/open", "n0");
        assertEquals(List.of("/pub/secret/open w"), d5.takeEvents(), "losing access is still reported");
        other.write("/pub/secret/open", "after");
        assertEquals(List.of(), d5.takeEvents());
    }

    @Test
    void transactionalChangesFireAtCommitOnlyAndNotOnAbort() {
        dom0.watch("/t", "w");
        dom0.takeEvents();
        other.start();
        other.write("/t/a", "1");
        other.write("/t/a", "2");
        other.ok(XS_MKDIR, "/t/b");
        assertEquals(List.of(), dom0.takeEvents());
        assertEquals(null, other.end(true));
        assertEquals(List.of("/t/a w", "/t/b w"), dom0.takeEvents());
        other.start();
        other.write("/t/c", "1");
        assertEquals(null, other.end(false));
        assertEquals(List.of(), dom0.takeEvents());
        other.start();
        other.ok(XS_RM, "/t");
        assertEquals(null, other.end(true));
        assertEquals(List.of("/t w"), dom0.takeEvents());
    }

    @Test
    void introduceAndReleaseFireSpecialWatches() {
        dom0.watch("@introduceDomain", "in");
        dom0.watch("@releaseDomain", "out");
        assertEquals(List.of("@introduceDomain in", "@releaseDomain out"), dom0.takeEvents());
        h.domU(7);
        assertEquals(List.of("@introduceDomain in"), dom0.takeEvents());
        h.core.domainShutdown(7);
        assertEquals(List.of("@releaseDomain out"), dom0.takeEvents());
        h.core.domainShutdown(7);
        assertEquals(List.of(), dom0.takeEvents(), "once until RESUME");
        h.core.resume(7);
        h.core.domainShutdown(7);
        assertEquals(List.of("@releaseDomain out"), dom0.takeEvents());
        h.core.release(7);
        assertEquals(List.of("@releaseDomain out"), dom0.takeEvents());
    }

    @Test
    void releaseDomainWithDepthOneOrPerDomainReportsTheDomid() {
        dom0.ok(XS_WATCH, "@releaseDomain", "any", "1");
        dom0.watch("@releaseDomain/8", "eight");
        dom0.ok(XS_WATCH, "@introduceDomain", "in", "1");
        dom0.takeEvents();
        h.domU(8);
        h.domU(9);
        assertEquals(List.of("@introduceDomain/8 in", "@introduceDomain/9 in"), dom0.takeEvents());
        h.core.domainShutdown(9);
        assertEquals(List.of("@releaseDomain/9 any"), dom0.takeEvents());
        h.core.release(8);
        assertEquals(List.of("@releaseDomain/8 any", "@releaseDomain/8 eight"), dom0.takeEvents());
    }

    @Test
    void domainsNeedPermissionOnSpecialNodes() {
        CoreHarness.Client d5 = h.domU(5);
        d5.watch("@releaseDomain", "r");
        assertEquals(List.of("@releaseDomain r"), d5.takeEvents(), "the first event is unconditional");
        h.domU(6);
        h.core.release(6);
        assertEquals(List.of(), d5.takeEvents());
        dom0.setPerms("@releaseDomain", "n0", "r5");
        h.domU(6);
        h.core.release(6);
        assertEquals(List.of("@releaseDomain r"), d5.takeEvents());
    }

    @Test
    void releasedDomainLosesWatchesAndResetWatchesDropsThem() {
        CoreHarness.Client d5 = h.domU(5);
        dom0.write("/local/domain/5", "");
        dom0.setPerms("/local/domain/5", "n5");
        d5.watch("/local/domain/5", "mine");
        d5.takeEvents();
        d5.ok(XS_RESET_WATCHES, "");
        dom0.write("/local/domain/5/x", "");
        assertEquals(List.of(), d5.takeEvents());
        d5.watch("/local/domain/5", "again");
        d5.takeEvents();
        h.core.release(5);
        dom0.write("/local/domain/5/y", "");
        assertEquals(List.of(), d5.takeEvents());
        assertTrue(d5.conn.transportClosed);
    }
}
