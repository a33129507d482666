package org.hvsim.dom0.xenstore.core;

import static org.hvsim.hv.abi.xenstore.XsdSockmsgType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.Test;

/** Snapshot isolation, EAGAIN on conflicts with anything looked at, abort, ids and errors. */
class TransactionTest {
    final CoreHarness h = new CoreHarness();
    final CoreHarness.Client a = h.dom0();
    final CoreHarness.Client b = h.dom0();

    @Test
    void startRepliesADecimalIdAndIdsAreNotReused() {
        XsMessage r = a.send(XS_TRANSACTION_START, new byte[] {0});
        assertEquals("1\0", new String(r.payload()));
        assertEquals(0, r.header().txId());
        int first = 1;
        a.tx = first;
        assertNull(a.end(false));
        assertNotEquals(first, a.start());
    }

    @Test
    void readModifyWriteSeesOwnWritesAndOthersSeeTheOldValueUntilCommit() {
        a.write("/n", "a");
        a.start();
        assertEquals("a", a.read("/n"));
        a.write("/n", "b");
        assertEquals("b", a.read("/n"));
        assertEquals("a", b.read("/n"));
        assertNull(a.end(true));
        assertEquals("b", b.read("/n"));
        h.assertConsistent();
    }

    @Test
    void abortDiscards() {
        a.write("/n", "a");
        a.start();
        a.write("/n", "b");
        a.write("/new/deep", "x");
        assertNull(a.end(false));
        assertEquals("a", b.read("/n"));
        assertEquals(XsdError.ENOENT, b.error(XS_READ, "/new"));
        h.assertConsistent();
    }

    @Test
    void conflictingWriteAfterReadIsEagainAndNothingIsWritten() {
        a.write("/n", "a");
        a.start();
        assertEquals("a", a.read("/n"));
        b.write("/n", "b");
        assertEquals("a", a.read("/n"), "the snapshot does not change");
        a.write("/n", "c");
        a.write("/other", "x");
        assertEquals(XsdError.EAGAIN, a.end(true));
        assertEquals("b", b.read("/n"));
        assertEquals(XsdError.ENOENT, b.error(XS_READ, "/other"));
    }

    @Test
    void blindWritesOfTheSameNodeConflict() {
        a.write("/n", "0");
        a.start();
        b.write("/n", "b");
        a.write("/n", "a");
        assertEquals(XsdError.EAGAIN, a.end(true));
        assertEquals("b", b.read("/n"));
    }

    @Test
    void lookingUpAMissingNodeThatAppearsConflicts() {
        a.start();
        assertEquals(XsdError.ENOENT, a.error(XS_READ, "/maybe"));
        a.write("/flag", "1");
        b.write("/maybe", "now");
        assertEquals(XsdError.EAGAIN, a.end(true));
    }

    @Test
    void listingADirectoryThatGainsAChildConflicts() {
        a.write("/dir/x", "");
        a.start();
        assertEquals(List.of("x"), a.directory("/dir"));
        a.write("/count", "1");
        b.write("/dir/y", "");
        assertEquals(XsdError.EAGAIN, a.end(true));
    }

    @Test
    void disjointTransactionsBothCommit() {
        a.write("/p", "0");
        a.write("/q", "0");
        a.start();
        b.start();
        a.write("/p", "1");
        b.write("/q", "1");
        assertNull(a.end(true));
        assertNull(b.end(true));
        assertEquals("1", a.read("/p"));
        assertEquals("1", a.read("/q"));
    }

    @Test
    void endErrors() {
        assertEquals(XsdError.ENOENT, a.error(XS_TRANSACTION_END, "T"));
        int tx = a.start();
        assertEquals(XsdError.EINVAL, a.error(XS_TRANSACTION_END, "X"));
        assertEquals(XsdError.EINVAL, a.error(XS_TRANSACTION_END, new byte[] {'T'}));
        assertEquals(XsdError.EBUSY, a.error(XS_TRANSACTION_START, ""));
        assertNull(a.end(true));
        assertEquals(XsdError.ENOENT, CoreHarness.errorOf(a.send(XS_READ.number(), tx, "/\0".getBytes())));
    }

    @Test
    void aFailedCommitEndsTheTransaction() {
        a.write("/n", "a");
        int tx = a.start();
        a.read("/n");
        b.write("/n", "b");
        assertEquals(XsdError.EAGAIN, a.end(true));
        assertEquals(XsdError.ENOENT, CoreHarness.errorOf(a.send(XS_TRANSACTION_END.number(), tx, "T\0".getBytes())));
    }

    @Test
    void removalInsideATransactionIsSeenOnlyInside() {
        a.write("/r/s", "v");
        a.start();
        a.ok(XS_RM, "/r");
        assertEquals(XsdError.ENOENT, a.error(XS_READ, "/r/s"));
        assertEquals("v", b.read("/r/s"));
        assertNull(a.end(true));
        assertEquals(XsdError.ENOENT, b.error(XS_READ, "/r/s"));
        h.assertConsistent();
    }

    @Test
    void domainTransactionQuotas() {
        CoreHarness.Client d5 = h.domU(5);
        h.core.domains().find(5).setOverride(Quota.TRANSACTIONS, false, 2);
        d5.start();
        d5.tx = 0;
        d5.start();
        d5.tx = 0;
        assertEquals(XsdError.ENOSPC, d5.error(XS_TRANSACTION_START, ""));
        assertEquals(2, h.core.domains().find(5).usage(Quota.TRANSACTIONS));
        d5.ok(XS_RESET_WATCHES, "");
        assertEquals(0, h.core.domains().find(5).usage(Quota.TRANSACTIONS));
    }

    @Test
    void transactionNodesQuotaFailsTheRequestAndTheCommit() {
        CoreHarness.Client d5 = h.domU(5);
        a.write("/local/domain/5/data", "");
        a.setPerms("/local/domain/5/data", "n5");
        h.core.domains().find(5).setOverride(Quota.TRANSACTION_NODES, false, 3);
        d5.start();
        d5.read("/local/domain/5/data");
        assertEquals(XsdError.ENOENT, d5.error(XS_READ, "/local/domain/5/data/a"));
        assertEquals(XsdError.ENOENT, d5.error(XS_READ, "/local/domain/5/data/b"));
        assertEquals(XsdError.ENOSPC, d5.error(XS_READ, "/local/domain/5/data/c"));
        assertEquals(XsdError.ENOMEM, d5.end(true));
    }
}
