package org.hvsim.dom0.xenstore.core;

import static org.hvsim.hv.abi.xenstore.XsdSockmsgType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unprivileged domains run out of each quota with ENOSPC (path-max: EINVAL); dom0 never does. */
class QuotaTest {
    final CoreHarness h = new CoreHarness();
    final CoreHarness.Client dom0 = h.dom0();
    CoreHarness.Client d5;
    Domain dom5;

    @BeforeEach
    void domain() {
        d5 = h.domU(5);
        dom5 = h.core.domains().find(5);
        dom0.write("/local/domain/5/data", "");
        dom0.setPerms("/local/domain/5/data", "n5");
    }

    @Test
    void defaultsAreCXenstoreds() {
        QuotaTable q = h.core.quotas();
        assertEquals(1000, q.hard(Quota.NODES));
        assertEquals(128, q.hard(Quota.WATCHES));
        assertEquals(20, q.hard(Quota.OUTSTANDING));
        assertEquals(2 * 1024 * 1024 + 512 * 1024, q.hard(Quota.MEMORY));
        assertEquals(2 * 1024 * 1024, q.soft(Quota.MEMORY));
        assertEquals(10, q.hard(Quota.TRANSACTIONS));
        assertEquals(1024, q.hard(Quota.TRANSACTION_NODES));
        assertEquals(5, q.hard(Quota.NODE_PERMISSIONS));
        assertEquals(2048, q.hard(Quota.PATH_MAX));
        assertEquals(2048, q.hard(Quota.NODE_SIZE));
    }

    @Test
    void nodesQuotaCountsOwnedNodes() {
        long owned = dom5.usage(Quota.NODES);
        dom5.setOverride(Quota.NODES, false, owned + 3);
        d5.write("/local/domain/5/data/a", "");
        d5.write("/local/domain/5/data/b/c", "");
        assertEquals(XsdError.ENOSPC, d5.writeError("/local/domain/5/data/d", ""));
        assertEquals(XsdError.ENOSPC, d5.writeError("/local/domain/5/data/a/x/y", ""));
        d5.ok(XS_RM, "/local/domain/5/data/b");
        d5.write("/local/domain/5/data/d", "");
        dom0.write("/local/domain/5/data/by-dom0", "");
        h.assertConsistent();
    }

    @Test
    void nodesQuotaAppliesToTransactionsAtCreationAndCommit() {
        long owned = dom5.usage(Quota.NODES);
        dom5.setOverride(Quota.NODES, false, owned + 2);
        d5.start();
        d5.write("/local/domain/5/data/t1", "");
        d5.write("/local/domain/5/data/t2", "");
        assertEquals(XsdError.ENOSPC, d5.writeError("/local/domain/5/data/t3", ""));
        int tx = d5.tx;
        d5.tx = 0;
        d5.write("/local/domain/5/data/outside", "");
        d5.tx = tx;
        assertEquals(XsdError.EAGAIN, d5.end(true), "the directory it listed changed");
        h.assertConsistent();
    }

    @Test
    void nodesCreatedElsewhereMeanwhileMakeTheCommitEnospc() {
        dom0.write("/local/domain/5/other", "");
        dom0.setPerms("/local/domain/5/other", "n5");
        long owned = dom5.usage(Quota.NODES);
        dom5.setOverride(Quota.NODES, false, owned + 2);
        d5.start();
        d5.write("/local/domain/5/data/t1", "");
        d5.write("/local/domain/5/data/t2", "");
        int tx = d5.tx;
        d5.tx = 0;
        d5.write("/local/domain/5/other/x", "");
        d5.tx = tx;
        assertEquals(XsdError.ENOSPC, d5.end(true));
        assertEquals(owned + 1, dom5.usage(Quota.NODES));
        h.assertConsistent();
    }

    @Test
    void nodeSizeCountsValuePermissionsAndChildren() {
        dom5.setOverride(Quota.NODE_SIZE, false, 100);
        d5.write("/local/domain/5/data/v", "x".repeat(100 - 16 - 8));
        assertEquals(XsdError.ENOSPC, d5.writeError("/local/domain/5/data/v", "x".repeat(100 - 16 - 8 + 1)));
        dom0.write("/local/domain/5/data/big", "x".repeat(200));
    }

    @Test
    void nodePermissionsQuota() {
        d5.write("/local/domain/5/data/p", "");
        assertEquals(XsdError.ENOSPC, d5.error(XS_SET_PERMS, "/local/domain/5/data/p", "n5", "r1", "r2", "r3", "r4",
                "r6"));
        d5.setPerms("/local/domain/5/data/p", "n5", "r1", "r2", "r3", "r4");
        dom0.setPerms("/local/domain/5/data/p", "n5", "r1", "r2", "r3", "r4", "r6", "r7");
    }

    @Test
    void pathMaxCountsAfterTheDomainHome() {
        dom5.setOverride(Quota.PATH_MAX, false, 20);
        String home = "/local/domain/5/";
        d5.write(home + "data/" + "a".repeat(15), "");
        assertEquals(XsdError.EINVAL, d5.writeError(home + "data/" + "a".repeat(16), ""));
        assertEquals(XsdError.EINVAL, d5.error(XS_READ, "data/" + "a".repeat(16)));
        dom0.write(home + "data/" + "a".repeat(100), "");
    }

    @Test
    void watchesQuota() {
        dom5.setOverride(Quota.WATCHES, false, 2);
        d5.watch("/local/domain/5/data", "1");
        d5.watch("/local/domain/5/data", "2");
        assertEquals(XsdError.ENOSPC, d5.error(XS_WATCH, "/local/domain/5/data", "3"));
        d5.ok(XS_UNWATCH, "/local/domain/5/data", "1");
        d5.watch("/local/domain/5/data", "3");
    }

    @Test
    void memoryQuotaCountsOwnedNodes() {
        long used = dom5.usage(Quota.MEMORY);
        dom5.setOverride(Quota.MEMORY, false, used + 1000);
        List<XsdError> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            var r = d5.send(XS_WRITE, ("/local/domain/5/data/m" + i + "\0" + "y".repeat(200)).getBytes());
            results.add(r.type() == XS_ERROR.number() ? CoreHarness.errorOf(r) : null);
        }
        assertEquals(null, results.getFirst());
        assertEquals(XsdError.ENOSPC, results.getLast());
        h.assertConsistent();
    }

    @Test
    void globalQuotaAppliesUnlessOverridden() {
        h.core.quotas().setHard(Quota.WATCHES, 1);
        d5.watch("/local/domain/5/data", "1");
        assertEquals(XsdError.ENOSPC, d5.error(XS_WATCH, "/local/domain/5/data", "2"));
        dom5.setOverride(Quota.WATCHES, false, 0);
        d5.watch("/local/domain/5/data", "2");
        for (int i = 0; i < 5; i++) {
            dom0.watch("/", "dom0-" + i);
        }
    }
}
