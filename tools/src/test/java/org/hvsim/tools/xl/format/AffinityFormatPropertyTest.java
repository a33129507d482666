package org.hvsim.tools.xl.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.hvsim.proto.control.CpuSet;

class AffinityFormatPropertyTest {

    /** Reads the printed form back: all, none, or comma-separated N / N-M runs. */
    private static BitSet parse(String text, int length) {
        BitSet bits = new BitSet();
        if (text.equals("all")) {
            bits.set(0, length);
            return bits;
        }
        if (text.equals("none")) {
            return bits;
        }
        for (String run : text.split(",")) {
            String[] ends = run.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length == 2 ? Integer.parseInt(ends[1]) : from;
            assertTrue(ends.length <= 2 && to > from || ends.length == 1, "malformed run " + run + " in " + text);
            bits.set(from, to + 1);
        }
        return bits;
    }

    @Property
    void theTextNamesExactlyTheSetCpusBelowTheLength(@ForAll @Size(max = 40) Set<@IntRange(max = 70) Integer> cpus,
            @ForAll @IntRange(min = 1, max = 64) int length) {
        BitSet bits = new BitSet();
        cpus.forEach(bits::set);
        BitSet shown = (BitSet) bits.clone();
        if (shown.length() > length) {
            shown.clear(length, shown.length());
        }

        String text = AffinityFormat.format(bits, length);

        assertEquals(shown, parse(text, length), text);
        assertEquals(text.equals("all"), shown.cardinality() == length, text);
        assertEquals(text.equals("none"), shown.isEmpty(), text);
    }

    @Property
    void runsAreAscendingMaximalAndSingletonsHaveNoDash(@ForAll @Size(max = 40) Set<@IntRange(max = 63) Integer> cpus) {
        BitSet bits = new BitSet();
        cpus.forEach(bits::set);
        String text = AffinityFormat.format(bits, 64);
        if (text.equals("all") || text.equals("none")) {
            return;
        }
        int previousEnd = -2;
        for (String run : text.split(",")) {
            String[] ends = run.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length == 2 ? Integer.parseInt(ends[1]) : from;
            assertTrue(from > previousEnd + 1, "runs " + text + " are not separated by a gap");
            assertTrue(ends.length == 1 || to > from, "run " + run + " should be written without a dash");
            previousEnd = to;
        }
    }

    @Property
    void allButSomeMeansEveryCpuExceptThoseListed(@ForAll @Size(max = 10) Set<@IntRange(max = 15) Integer> excluded) {
        CpuSet set = CpuSet.newBuilder().setAll(true).addAllCpus(excluded).build();
        BitSet expected = new BitSet();
        expected.set(0, 16);
        excluded.forEach(expected::clear);

        assertEquals(AffinityFormat.format(expected, 16), AffinityFormat.format(set, 16));
    }

    @Example
    void examples() {
        assertEquals("0-3,6", AffinityFormat.format(CpuSet.newBuilder().addCpus(6).addCpus(0).addCpus(1).addCpus(2)
                .addCpus(3).build(), 8));
        assertEquals("all", AffinityFormat.format(CpuSet.newBuilder().setAll(true).build(), 8));
        assertEquals("none", AffinityFormat.format(CpuSet.getDefaultInstance(), 8));
        assertEquals("1-7", AffinityFormat.format(CpuSet.newBuilder().setAll(true).addCpus(0).build(), 8));
        assertEquals("none", AffinityFormat.format(CpuSet.newBuilder().setAll(true).build(), 0));
    }
}
