package org.hvsim.tools.xl.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SecondsTest {
    @Test
    void xlsDigits() {
        assertEquals("0.0", Seconds.tenths(0));
        assertEquals("1.2", Seconds.tenths(1_250_000_000L)); // an exact tie: to even, as printf
        assertEquals("1.8", Seconds.tenths(1_750_000_000L));
        assertEquals("0.1", Seconds.tenths(49_999_999L)); // (float) 49999999 is 5e7, and 0.05 is above the tie
        assertEquals("11794.3", Seconds.tenths(11_794_300_000_000L));
        assertEquals("   11794.3", Seconds.tenths(11_794_300_000_000L, 10));
        // a float holds 24 bits: xl prints 123456789 s (nearly four years) as 123456790.5
        assertEquals("123456790.5", Seconds.tenths(123_456_789_000_000_000L, 8));
    }

    @Property
    void withinAFloatsPrecisionOfTheExactValue(@ForAll @LongRange(min = 0, max = 1L << 53) long ns) {
        BigDecimal printed = new BigDecimal(Seconds.tenths(ns));
        BigDecimal exact = BigDecimal.valueOf(ns).movePointLeft(9);
        // a float keeps 24 bits: the error before rounding is below ns * 2^-24, then up to half a tenth
        BigDecimal bound = exact.multiply(BigDecimal.valueOf(1.0 / (1 << 23))).add(new BigDecimal("0.05"));
        assertEquals(1, bound.compareTo(printed.subtract(exact).abs().setScale(9, RoundingMode.UNNECESSARY)),
                ns + " printed as " + printed);
    }
}
