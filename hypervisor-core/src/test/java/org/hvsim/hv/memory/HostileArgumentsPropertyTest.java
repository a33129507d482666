package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.memory.TestMachine.TestDomain;

/**
 * A guest (and dom0) writing arbitrary bytes as memory_op and mmu_update arguments gets return codes,
 * never an exception, and leaves the bookkeeping consistent.
 */
class HostileArgumentsPropertyTest {

    record Call(boolean fromDom0, boolean mmu, int cmd, long word0, long word1, int word2, int domid, long list,
                int count, int foreigndom) {}

    @Provide
    Arbitrary<List<Call>> calls() {
        Arbitrary<Long> small = Arbitraries.longs().between(-2, 2 * Page.SIZE + 8);
        Arbitrary<Long> word = Arbitraries.oneOf(small, Arbitraries.longs(),
                Arbitraries.of((long) DomId.SELF, (long) DomId.XEN, (long) DomId.IO, 0xffffL, 1L, 2L, 3L));
        return word.list().ofSize(10).map(HostileArgumentsPropertyTest::call).list().ofMaxSize(40);
    }

    private static Call call(List<Long> w) {
        int cmd = w.get(2) < 64 ? (int) Math.abs(w.get(2) % 21) : w.get(2).intValue();
        return new Call((w.get(0) & 1) == 0, (w.get(1) & 1) == 0, cmd, w.get(3), w.get(4),
                (int) (w.get(5) % 21), w.get(6).intValue() & 0xffff, w.get(7), (int) (w.get(8) % 10 == 0 ? w.get(8) >> 3 : w.get(8) & 7),
                w.get(9).intValue());
    }

    @Property(tries = 200)
    void arbitraryArgumentsNeverBreakTheHost(@ForAll("calls") List<Call> calls, @ForAll long seed) {
        try (TestMachine m = new TestMachine(256, 2)) {
            TestDomain dom0 = m.domain(0, true, 64, 64);
            TestDomain domU = m.domain(1, false, 32, 64);
            m.domain(2, false, 32, 64).memory().populatePhysmap(0, 2);
            dom0.memory().populatePhysmap(0, 1);
            domU.memory().populatePhysmap(0, 1);
            MemoryOps ops = new MemoryOps(m.host, m);
            java.util.Random random = new java.util.Random(seed);
            for (Call c : calls) {
                TestDomain caller = c.fromDom0() ? dom0 : domU;
                // An earlier call may legitimately have moved the caller's own frames out of gpfns 0-1
                // (MMU_MACHPHYS_UPDATE, decrease_reservation): put frames back for the arguments.
                boolean room = true;
                for (long g = 0; g < 2; g++) {
                    if (caller.memory().lookup(g) == Page.INVALID_FRAME) {
                        room &= caller.memory().populatePhysmap(g, 0) >= 0;
                    }
                }
                if (!room) {
                    continue;
                }
                GuestMemory mem = new DomainGuestMemory(caller.memory(), PreemptionHook.NONE);
                byte[] noise = new byte[2 * Page.SIZE];
                random.nextBytes(noise);
                mem.write(0, noise);
                mem.putLong(0, c.list());
                mem.putLong(8, c.word0());
                mem.putInt(16, c.word2());
                mem.putInt(20, (int) c.word1());
                mem.putShort(24, (short) c.domid());
                if (c.mmu()) {
                    for (int i = 0; i < 8; i++) {
                        long frame = caller.memory().lookup(i & 1);
                        mem.putLong(0x100 + 16L * i, (frame << Page.SHIFT) + (c.word1() & 0xfff) + (i & 3));
                        mem.putLong(0x108 + 16L * i, i % 3 == 0 ? c.word0() : (random.nextInt(256) << Page.SHIFT) | 1);
                    }
                    ops.mmuUpdate(caller, mem, 0x100 + (c.list() & 0xf), c.count(), c.word1() & 0x1fff, c.foreigndom());
                } else {
                    ops.op(caller, c.cmd(), mem, c.word1() & 0x1fff);
                }
                assertEquals(List.of(), m.checker.check(), c.toString());
            }
        }
    }
}
