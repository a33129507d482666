package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VifRateTest {

    private static String error(String rate) {
        return assertThrows(XlSpecException.class, () -> VifRate.parse(rate)).getMessage();
    }

    @Test
    void computesBytesPerIntervalLikeLibxl() throws Exception {
        assertEquals(new VifRate(62_500, 50_000), VifRate.parse("10Mb/s"));
        assertEquals(new VifRate(20_000, 20_000), VifRate.parse("1MB/s@20ms"));
        assertEquals(new VifRate(1_000, 1_000_000), VifRate.parse("1KB/s@1s"));
        assertEquals(new VifRate(1_000, 1_000_000), VifRate.parse("1KB/s@1"));
        assertEquals(new VifRate(1, 500), VifRate.parse("16Kb/s@500us"));
        assertEquals(new VifRate(0, 500), VifRate.parse("16b/s@500u"));
        assertEquals(new VifRate(125_000_000L * 3, 3_000), VifRate.parse("1000Gb/s@3m"));
        assertEquals(new VifRate(18_446_744_065_119L, 4_294_967_295L), VifRate.parse("4294967295B/s@4294967295us"));
    }

    @Test
    void refusesWhatLibxlRefuses() {
        assertEquals("config parsing error in vif: no rate specified in `@20ms'", error("@20ms"));
        assertEquals("config parsing error in vif: invalid rate in `10MB'", error("10MB"));
        assertEquals("config parsing error in vif: invalid rate in `10TB/s'", error("10TB/s"));
        assertEquals("config parsing error in vif: rate overflow in `0MB/s'", error("0MB/s"));
        assertEquals("config parsing error in vif: rate overflow in `4294967296B/s'", error("4294967296B/s"));
        assertEquals("config parsing error in vif: invalid replenishment interval in `20h'", error("1MB/s@20h"));
        assertEquals("config parsing error in vif: replenishment interval overflow in `0ms'", error("1MB/s@0ms"));
        assertEquals("config parsing error in vif: replenishment interval overflow in `5000s'", error("1MB/s@5000s"));
        assertEquals("config parsing error in vif: rate overflow in `4294967295GB/s@4294s'", error("4294967295GB/s@4294s"));
    }
}
