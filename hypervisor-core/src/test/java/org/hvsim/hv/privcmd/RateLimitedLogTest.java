package org.hvsim.hv.privcmd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
    private final AtomicLong nowNs = new AtomicLong(1_000);
    private final RateLimitedLog log = new RateLimitedLog(
            LoggerFactory.getLogger(RateLimitedLogTest.class), 3, 1_000_000_000L, nowNs::get);

    @Test
    void atMostTheBudgetPerWindowIsLoggedAndTheRestCounted() {
        for (int i = 0; i < 10; i++) {
            log.warn("line {}", i);
        }
        assertEquals(7, log.suppressed());
        nowNs.addAndGet(999_999_999L);
        log.warn("still the same window");
        assertEquals(8, log.suppressed());
    }

    @Test
    void aNewWindowRestoresTheBudget() {
        for (int i = 0; i < 5; i++) {
            log.error("line {}", i);
        }
        assertEquals(2, log.suppressed());
        nowNs.addAndGet(1_000_000_000L);
        log.warn("first of the new window");
        log.warn("second");
        log.warn("third");
        assertEquals(0, log.suppressed());
        log.warn("fourth");
        assertEquals(1, log.suppressed());
    }
}
