package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hvsim.proto.control.CpuSet;

class CpuListPropertyTest {

    @Provide
    Arbitrary<CpuSet> cpuSets() {
        Arbitrary<Set<Integer>> numbers = Arbitraries.integers().between(0, CpuList.MAX_CPUS - 1).set().ofMaxSize(40);
        return net.jqwik.api.Combinators.combine(Arbitraries.of(true, false), numbers).as((all, set) -> {
            CpuSet.Builder b = CpuSet.newBuilder().setAll(all);
            new TreeSet<>(set).forEach(b::addCpus);
            return b.build();
        }).filter(s -> s.getAll() || s.getCpusCount() > 0);
    }

    @Property
    void formatThenParseGivesTheSameSet(@ForAll("cpuSets") CpuSet set) throws Exception {
        assertEquals(set, CpuList.parse(CpuList.format(set)));
    }

    @Property
    void parseThenFormatIsStable(@ForAll("cpuSets") CpuSet set) throws Exception {
        String text = CpuList.format(set);
        assertEquals(text, CpuList.format(CpuList.parse(text)));
    }

    @Property
    void anyTextParsesOrGivesASpecError(@ForAll String text) {
        try {
            CpuSet set = CpuList.parse(text);
            assertEquals(set, CpuList.parse(CpuList.format(set)));
        } catch (XlSpecException expected) {
            // refused with a message
        }
    }
}
