package org.hvsim.tools.hvsim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOnAHundredSamples() {
        long[] ns = new long[100];
        Arrays.setAll(ns, i -> 100 - i); // 100..1, unsorted on purpose
        Percentiles p = new Percentiles(ns);
        assertEquals(50, p.percentile(50));
        assertEquals(99, p.percentile(99));
        assertEquals(100, p.percentile(100));
        assertEquals(1, p.min());
        assertEquals(100, p.max());
    }

    @Test
    void oneSampleIsEveryPercentile() {
        Percentiles p = new Percentiles(new long[] {7});
        assertEquals(7, p.percentile(1));
        assertEquals(7, p.percentile(99));
    }

    @Test
    void rejectsNoSamplesAndPercentilesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new Percentiles(new long[0]));
        Percentiles p = new Percentiles(new long[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> p.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> p.percentile(100.5));
    }

    @Property
    void atLeastPPercentAreAtOrBelowThePercentile(@ForAll @Size(min = 1, max = 300) long[] samples,
            @ForAll @DoubleRange(min = 0.5, max = 100) double pct) {
        long v = new Percentiles(samples).percentile(pct);
        long atOrBelow = Arrays.stream(samples).filter(s -> s <= v).count();
        long below = Arrays.stream(samples).filter(s -> s < v).count();
        assertTrue(atOrBelow * 100.0 >= pct * samples.length, "too few at or below");
        assertTrue(below * 100.0 < pct * samples.length, "not the smallest such value");
    }

    @Property
    void millisHasThreeDecimals(@ForAll @LongRange(min = 0, max = 10_000_000_000L) long ns) {
        String ms = Percentiles.millis(ns);
        assertEquals(ns / 1_000_000 + "." + String.format("%03d", ns / 1000 % 1000), ms);
    }
}
