package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.memory.Pte;

/**
 * Random sequences of allocation, ballooning, foreign mapping, destruction and re-creation over dom0
 * and three domUs keep every invariant after every step, and give every frame back at the end.
 */
class MemoryOperationsPropertyTest {
    private static final int FRAMES = 512;
    private static final int XEN_FRAMES = 4;
    private static final int DOMUS = 3;

    enum Kind { POPULATE, DECREASE, INCREASE, SHARED, MAP, UNMAP, DESTROY, RECREATE, MAX_PAGES }

    record Op(Kind kind, int domain, int a, int b) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(1, DOMUS),
                Arbitraries.integers().between(0, 127),
                Arbitraries.integers().between(0, 3)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 150)
    void invariantsHoldAfterEveryStep(@ForAll("ops") List<Op> ops) {
        try (TestMachine m = new TestMachine(FRAMES, XEN_FRAMES)) {
            DomainMemory dom0 = m.domain(0, true, 64, 64).memory();
            assertTrue(dom0.populatePhysmap(0, 1) >= 0, "dom0's two page-table frames");
            DomainMemory[] domU = new DomainMemory[DOMUS + 1];
            for (int d = 1; d <= DOMUS; d++) {
                domU[d] = m.domain(d, false, 96, 128).memory();
            }
            PteUpdater pte = new PteUpdater(m.host);
            for (Op op : ops) {
                DomainMemory d = domU[op.domain()];
                long slot = (dom0.lookup(op.a() & 1) << Page.SHIFT) + (op.a() >> 1) * 8L;
                switch (op.kind()) {
                    case POPULATE -> d.populatePhysmap(op.a(), op.b());
                    case DECREASE -> d.decreaseReservation(op.a(), op.b());
                    case INCREASE -> d.increaseReservation(op.b());
                    case SHARED -> d.allocateSharedPage();
                    case MAP -> {
                        long mfn = d.lookup(op.a());
                        pte.update(dom0, slot, Pte.of(mfn == Page.INVALID_FRAME ? op.a() : mfn, Pte.PAGE_PRESENT),
                                op.domain(), false);
                    }
                    case UNMAP -> pte.update(dom0, slot, 0, 0, false);
                    case DESTROY -> d.releaseAll();
                    case RECREATE -> {
                        if (d.isFullyReleased()) {
                            domU[op.domain()] = m.host.createDomain(op.domain(), 128);
                            domU[op.domain()].setMaxPages(96);
                        }
                    }
                    case MAX_PAGES -> d.setMaxPages(op.a());
                }
                assertEquals(List.of(), m.checker.check(), "after " + op);
            }
            for (int i = 1; i <= DOMUS; i++) {
                domU[i].releaseAll();
            }
            dom0.releaseAll();
            assertEquals(List.of(), m.checker.check());
            assertEquals(FRAMES - XEN_FRAMES, m.host.allocator().freeFrames());
            assertTrue(m.host.domains().isEmpty());
        }
    }
}
