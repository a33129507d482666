package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.memory.Pte;
import org.hvsim.hv.memory.MemoryInvariantChecker.Kind;
import org.hvsim.hv.memory.MemoryInvariantChecker.Violation;
import org.junit.jupiter.api.Test;

/** Each corruption the checker exists for must be reported, so a clean report means something. */
class MemoryInvariantCheckerTest {

    /** A machine with dom0 (a page-table frame at gpfn 0 mapping a domU frame) and domU (gpfns 0..3). */
    private static final class Scene implements AutoCloseable {
        final TestMachine m = new TestMachine(256, 4);
        final DomainMemory dom0 = m.domain(0, true, 16, 64).memory();
        final DomainMemory domU = m.domain(1, false, 16, 64).memory();
        final long domUBase;

        Scene() {
            dom0.populatePhysmap(0, 0);
            domUBase = domU.populatePhysmap(0, 2);
            domU.allocateSharedPage();
            int rc = new PteUpdater(m.host).update(dom0, dom0.lookup(0) << Page.SHIFT,
                    Pte.of(domUBase + 3, Pte.PAGE_PRESENT), 1, false);
            assertEquals(0, rc);
        }

        @Override
        public void close() {
            m.close();
        }
    }

    private static List<Violation> corrupt(Consumer<Scene> corruption) {
        try (Scene s = new Scene()) {
            assertEquals(List.of(), s.m.checker.check(), "the scene must start consistent");
            corruption.accept(s);
            return s.m.checker.check();
        }
    }

    private static void assertReports(Kind kind, List<Violation> violations) {
        assertTrue(violations.stream().anyMatch(v -> v.kind() == kind), "expected " + kind + " in " + violations);
    }

    @Test
    void frameOwnedByNobodyAndNotFree() {
        assertReports(Kind.FRAME_STATE, corrupt(s -> s.m.host.allocator.allocate(0)));
    }

    @Test
    void frameFreeAndOwnedAtOnce() {
        assertReports(Kind.FRAME_STATE, corrupt(s -> s.m.host.allocator.free(s.domUBase, 0)));
    }

    @Test
    void frameOfAnUnknownDomain() {
        assertReports(Kind.OWNER, corrupt(s -> s.m.host.m2p.assign(s.m.host.allocator.allocate(0), 77, PageType.RAM, Page.INVALID_FRAME)));
    }

    @Test
    void hypervisorFrameGivenToADomain() {
        assertReports(Kind.OWNER, corrupt(s -> s.m.host.m2p.assign(1, 1, PageType.RAM, Page.INVALID_FRAME)));
    }

    @Test
    void allocatorFreeCountOff() {
        assertReports(Kind.FREE_COUNT, corrupt(s -> {
            try {
                var field = FrameAllocator.class.getDeclaredField("freeFrames");
                field.setAccessible(true);
                field.setLong(s.m.host.allocator, field.getLong(s.m.host.allocator) + 1);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }));
    }

    @Test
    void p2mEntryNotBackedByTheM2p() {
        assertReports(Kind.P2M_TO_M2P, corrupt(s -> s.domU.p2m.set(10, s.domUBase)));
    }

    @Test
    void m2pEntryNotBackedByTheP2m() {
        assertReports(Kind.M2P_TO_P2M, corrupt(s -> {
            s.domU.p2m.clear(2);
            s.domU.p2m.set(20, s.domUBase + 2);
        }));
    }

    @Test
    void totPagesOff() {
        assertReports(Kind.TOT_PAGES, corrupt(s -> s.domU.totPages++));
    }

    @Test
    void xenHeapCountOff() {
        assertReports(Kind.XENHEAP_PAGES, corrupt(s -> s.domU.xenheapPages--));
    }

    @Test
    void releasedFrameStillMapped() {
        assertReports(Kind.ZOMBIE, corrupt(s -> s.m.host.m2p.markReleased(s.domUBase + 1)));
    }

    @Test
    void foreignCountWithoutAMapping() {
        assertReports(Kind.FOREIGN_REFS, corrupt(s -> s.m.host.m2p.tryGetRef(s.domUBase)));
    }

    @Test
    void mappingWithoutAForeignCount() {
        assertReports(Kind.FOREIGN_REFS, corrupt(s -> s.m.host.m2p.putRef(s.domUBase + 3)));
    }

    @Test
    void massiveCorruptionIsCappedButCounted() {
        List<Violation> v = corrupt(s -> {
            for (long mfn = 100; mfn < 250; mfn++) {
                s.m.host.m2p.tryGetRef(mfn);
            }
        });
        assertEquals(MemoryInvariantChecker.MAX_REPORTED + 1, v.size());
        assertTrue(v.getLast().detail().contains("more violations"), v.getLast().toString());
    }
}
