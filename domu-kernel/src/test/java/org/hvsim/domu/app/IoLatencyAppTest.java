package org.hvsim.domu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cmdline.CommandLineException;
import org.junit.jupiter.api.Test;

/** {@code app=iolat}: its parameters and the arithmetic of its report line (no timing here). */
class IoLatencyAppTest {
    private static IoLatencyApp app(String cmdline) {
        return (IoLatencyApp) Apps.find("iolat").orElseThrow().factory().apply(CommandLine.parse(cmdline));
    }

    @Test
    void defaultsAreAMillisecondAndAThousandWakesPerReport() {
        IoLatencyApp a = app("app=iolat");
        assertEquals(1_000_000, a.periodNs());
        assertEquals(1000, a.samples());
    }

    @Test
    void parametersAreReadAndRangeChecked() {
        IoLatencyApp a = app("app=iolat period_us=250 samples=10");
        assertEquals(250_000, a.periodNs());
        assertEquals(10, a.samples());
        assertThrows(CommandLineException.class, () -> app("app=iolat period_us=0"));
        assertThrows(CommandLineException.class, () -> app("app=iolat samples=0"));
        assertThrows(CommandLineException.class, () -> app("app=iolat samples=many"));
        assertTrue(Apps.find("iolat").orElseThrow().parameters().containsAll(
                java.util.Set.of(IoLatencyApp.PERIOD_US, IoLatencyApp.SAMPLES)));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[1000];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(500, WakeLatencies.percentile(sorted, 50));
        assertEquals(990, WakeLatencies.percentile(sorted, 99));
        assertEquals(999, WakeLatencies.percentile(sorted, 99.9));
        assertEquals(1000, WakeLatencies.percentile(sorted, 100));
        assertEquals(7, WakeLatencies.percentile(new long[] {7}, 99.9));
        assertThrows(IllegalArgumentException.class, () -> WakeLatencies.percentile(sorted, 0));
        assertThrows(IllegalArgumentException.class, () -> WakeLatencies.percentile(new long[0], 50));
    }

    @Test
    void aReportCoversTheSamplesSinceTheLastInMicroseconds() {
        WakeLatencies w = new WakeLatencies(4);
        for (long ns : new long[] {40_000, 10_000, -5, 1_234_567}) {
            assertFalse(w.full());
            w.record(ns);
        }
        assertTrue(w.full());
        assertEquals("iolat: report 3: 4 wakes: p50 10.0 us, p99 1234.5 us, p99.9 1234.5 us, max 1234.5 us",
                w.report(3));
        assertEquals(0, w.count());
        assertFalse(w.full());
    }
}
