package org.hvsim.hv.gnttab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabMapGrantRef;
import org.hvsim.hv.abi.gnttab.GnttabUnmapGrantRef;
import org.hvsim.hv.abi.gnttab.Gtf;
import org.hvsim.hv.memory.DomainGuestMemory;
import org.hvsim.hv.memory.PreemptionHook;
import org.junit.jupiter.api.Test;

/**
 * Several mappers map and unmap the same grants on their own threads while the granting guest keeps
 * ending and re-granting them: a grant ends only while nothing holds it, every map that succeeds was
 * of a live grant, and at the end no pin, flag or mapping is left.
 */
class GrantTableConcurrencyTest {
    private static final int REFS = 8;
    private static final int ROUNDS = 3000;

    @Test
    void mapsUnmapsAndEndAccessRaceSafely() throws Exception {
        try (GrantFixture fx = new GrantFixture(1024)) {
            GrantFixture.Dom guest = fx.domain(1, false, 16, 1, 1);
            assertEquals(GntSt.OKAY, guest.setupTable(1));
            List<GrantFixture.Dom> mappers = List.of(fx.domain(0, true, 16, 1, 1), fx.domain(2, true, 16, 1, 1));
            // All mappers may map: grants go to d0 (the privileged mapper d2 maps nothing but fails cleanly).
            for (int r = 8; r < 8 + REFS; r++) {
                guest.grant(r, 0, 1 + r % 4, false);
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (GrantFixture.Dom m : mappers) {
                threads.add(Thread.ofPlatform().start(() -> run(failure, start, () -> mapLoop(fx, m))));
            }
            threads.add(Thread.ofPlatform().start(() -> run(failure, start, () -> granterLoop(guest))));
            start.countDown();
            for (Thread t : threads) {
                t.join(60_000);
                assertTrue(!t.isAlive(), "a thread is stuck");
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(0, guest.table.totalPins());
            for (int r = 8; r < 8 + REFS; r++) {
                assertEquals(0, guest.flags(r) & (Gtf.READING | Gtf.WRITING), "ref " + r);
            }
            for (GrantFixture.Dom m : mappers) {
                assertEquals(0, m.table.mappings());
            }
            assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
        }
    }

    private static void run(AtomicReference<Throwable> failure, CountDownLatch start, Runnable body) {
        try {
            start.await();
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /** Each mapper has its own argument memory (its own thread), so it calls ops directly. */
    private static void mapLoop(GrantFixture fx, GrantFixture.Dom m) {
        DomainGuestMemory view = new DomainGuestMemory(m.memory, PreemptionHook.NONE);
        for (int i = 0; i < ROUNDS; i++) {
            int ref = 8 + i % REFS;
            boolean ro = i % 3 == 0;
            GnttabMapGrantRef.request(GntTabOp.GNTMAP_HOST_MAP | (ro ? GntTabOp.GNTMAP_READONLY : 0), ref, 1)
                    .write(view, 0);
            assertEquals(0, fx.ops.op(m, GntTabOp.MAP_GRANT_REF, view, 0, 1, () -> {}));
            GnttabMapGrantRef out = GnttabMapGrantRef.read(view, 0);
            if (m.domid != 0) {
                assertEquals(GntSt.GENERAL_ERROR, out.status(), "granted to d0 only");
                continue;
            }
            if (out.status() != GntSt.OKAY) {
                assertEquals(GntSt.GENERAL_ERROR, out.status(), "the grant was ended meanwhile");
                continue;
            }
            new GnttabUnmapGrantRef(0, out.devBusAddr(), out.handle(), 99).write(view, 64);
            assertEquals(0, fx.ops.op(m, GntTabOp.UNMAP_GRANT_REF, view, 64, 1, () -> {}));
            assertEquals(GntSt.OKAY, view.getShort(64 + GnttabUnmapGrantRef.STATUS));
        }
    }

    /** The guest ends a grant whenever it is idle and grants it again. */
    private static void granterLoop(GrantFixture.Dom guest) {
        for (int i = 0; i < ROUNDS; i++) {
            int ref = 8 + i % REFS;
            if (guest.endAccess(ref)) {
                assertEquals(0, guest.table.readPins(ref) + guest.table.writePins(ref), "ended while pinned");
                guest.grant(ref, 0, 1 + ref % 4, false);
            }
        }
    }
}
