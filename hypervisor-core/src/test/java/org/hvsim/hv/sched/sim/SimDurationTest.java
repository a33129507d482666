package org.hvsim.hv.sched.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SimDurationTest {
    @Test
    void unitsAndABareNumberOfSeconds() {
        assertEquals(10_000_000_000L, SimDuration.parse("10s"));
        assertEquals(10_000_000_000L, SimDuration.parse("10"));
        assertEquals(500_000_000L, SimDuration.parse("500ms"));
        assertEquals(250_000L, SimDuration.parse("250us"));
        assertEquals(7L, SimDuration.parse("7ns"));
    }

    @Test
    void refusesZeroNegativeGarbageAndOverflow() {
        assertThrows(IllegalArgumentException.class, () -> SimDuration.parse("0ms"));
        assertThrows(IllegalArgumentException.class, () -> SimDuration.parse("-1s"));
        assertThrows(IllegalArgumentException.class, () -> SimDuration.parse("1.5s"));
        assertThrows(IllegalArgumentException.class, () -> SimDuration.parse("s"));
        assertThrows(IllegalArgumentException.class, () -> SimDuration.parse("99999999999999s"));
    }

    @Test
    void formatsSecondsWithMilliseconds() {
        assertEquals("10.000 s", SimDuration.format(10_000_000_000L));
        assertEquals("0.250 s", SimDuration.format(250_000_000L));
    }
}
