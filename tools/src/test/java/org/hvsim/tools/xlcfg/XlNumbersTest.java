package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class XlNumbersTest {

    private static long ok(String text) {
        XlNumbers.Result r = XlNumbers.strtol(text);
        assertEquals(null, r.failure(), text);
        return r.value();
    }

    private static XlNumbers.Failure fail(String text) {
        return XlNumbers.strtol(text).failure();
    }

    @Test
    void readsDecimalOctalAndHexLikeStrtolBaseZero() {
        assertEquals(128, ok("128"));
        assertEquals(8, ok("010"));
        assertEquals(0, ok("0"));
        assertEquals(31, ok("0x1f"));
        assertEquals(31, ok("0X1F"));
        assertEquals(-5, ok("-5"));
        assertEquals(7, ok("+7"));
        assertEquals(12, ok(" \t12"));
        assertEquals(Long.MAX_VALUE, ok("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, ok("-9223372036854775808"));
        assertEquals(1, ok("00000000000000000000000000000001"));
    }

    @Test
    void refusesTrailingTextAndEmptyNumbers() {
        assertEquals(XlNumbers.Failure.NOT_A_NUMBER, fail(""));
        assertEquals(XlNumbers.Failure.NOT_A_NUMBER, fail("12 "));
        assertEquals(XlNumbers.Failure.NOT_A_NUMBER, fail("08"));
        assertEquals(XlNumbers.Failure.NOT_A_NUMBER, fail("0x"));
        assertEquals(XlNumbers.Failure.NOT_A_NUMBER, fail("0xg"));
        assertEquals(XlNumbers.Failure.NOT_A_NUMBER, fail("1e3"));
        assertEquals(XlNumbers.Failure.NOT_A_NUMBER, fail("-"));
        assertEquals(XlNumbers.Failure.NOT_A_NUMBER, fail("１２"));
    }

    @Test
    void reportsOverflowAsOutOfRange() {
        assertEquals(XlNumbers.Failure.OUT_OF_RANGE, fail("9223372036854775808"));
        assertEquals(XlNumbers.Failure.OUT_OF_RANGE, fail("-9223372036854775809"));
        assertEquals(XlNumbers.Failure.OUT_OF_RANGE, fail("0x10000000000000000"));
        assertEquals(XlNumbers.Failure.OUT_OF_RANGE, fail("9".repeat(100_000)));
    }
}
