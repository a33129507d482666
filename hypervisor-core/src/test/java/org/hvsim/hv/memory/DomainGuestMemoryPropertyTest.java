package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;

/** Random accesses through a P2M with non-contiguous frames behave exactly as on one flat segment. */
class DomainGuestMemoryPropertyTest {
    private static final int PAGES = 4;
    private static final long SIZE = PAGES * (long) Page.SIZE;

    record Access(int kind, long address, long value, int length) {}

    @Provide
    Arbitrary<List<Access>> accesses() {
        Arbitrary<Long> address = Arbitraries.oneOf(
                Arbitraries.longs().between(0, SIZE - 1),
                Arbitraries.longs().between(-8, 8).map(delta -> Math.floorMod(Page.SIZE + delta, SIZE)),
                Arbitraries.longs().between(-8, 8).map(delta -> Math.floorMod(2L * Page.SIZE + delta, SIZE)));
        return Combinators.combine(Arbitraries.integers().between(0, 8), address, Arbitraries.longs(),
                Arbitraries.integers().between(0, 2 * Page.SIZE)).as(Access::new).list().ofMaxSize(60);
    }

    @Property(tries = 100)
    void behavesLikeAFlatMemory(@ForAll("accesses") List<Access> accesses) {
        try (TestMachine machine = new TestMachine(64, 2)) {
            DomainMemory dm = machine.domain(1, false, 16, 16).memory();
            for (int gpfn = PAGES - 1; gpfn >= 0; gpfn--) {
                dm.populatePhysmap(gpfn, 0);
            }
            GuestMemory actual = new DomainGuestMemory(dm, PreemptionHook.NONE);
            GuestMemory flat = SegmentGuestMemory.allocate(SIZE);
            for (Access x : accesses) {
                Object expected = outcome(flat, x);
                Object got = outcome(actual, x);
                assertEquals(expected, got, x.toString());
            }
            assertArrayEquals(flat.readBytes(0, (int) SIZE), actual.readBytes(0, (int) SIZE));
        }
    }

    /** Applies an access; returns what it read, or "fault". */
    private static Object outcome(GuestMemory g, Access x) {
        long a = x.address();
        long v = x.value();
        try {
            return switch (x.kind()) {
                case 0 -> { g.putLong(a, v); yield "ok"; }
                case 1 -> g.getLong(a);
                case 2 -> { g.putInt(a, (int) v); yield "ok"; }
                case 3 -> g.getInt(a);
                case 4 -> { g.putShort(a, (short) v); yield g.getShort(a); }
                case 5 -> { g.putByte(a, (byte) v); yield g.getByte(a); }
                case 6 -> {
                    byte[] b = new byte[x.length()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (byte) (v >>> (i % 8 * 8));
                    }
                    g.write(a, b);
                    yield "ok";
                }
                case 7 -> java.util.Arrays.toString(g.readBytes(a, x.length()));
                default -> { g.fill(a, x.length(), (byte) v); yield "ok"; }
            };
        } catch (GuestMemoryFault e) {
            return "fault";
        }
    }
}
