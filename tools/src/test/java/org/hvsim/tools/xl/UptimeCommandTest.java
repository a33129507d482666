package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UptimeCommandTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final String HEADER = "Name                                ID Uptime\n";

    private XlHarness xl;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        xl.clock = Clock.fixed(NOW, ZoneId.of("Europe/Berlin"));
        long now = NOW.getEpochSecond();
        xl.host.domains.add(domain(3, "two-days", now - (2 * 86_400 + 3 * 3600 + 4 * 60 + 5)));
        xl.host.domains.add(domain(0, "Domain-0", now - (5 * 3600 + 3 * 60 + 9)));
        xl.host.domains.add(domain(1, "one-day", now - (86_400 + 12 * 3600 + 59)));
        xl.host.domains.add(domain(2, "fresh", now - 7));
        xl.host.domains.add(domain(4, "unknown-start", 0));
        xl.host.domains.add(domain(5, "from-the-future", now + 100));
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    private static DomainInfo domain(int domid, String name, long start) {
        return DomainInfo.newBuilder().setDomid(domid).setName(name).setStartTimeUnixSeconds(start).build();
    }

    @Test
    void everyDurationFormDomain0First() {
        XlHarness.Result r = xl.run("uptime");

        assertEquals(0, r.exit(), r.err());
        assertEquals(HEADER
                + "Domain-0                             0  5:03:09\n"
                + "one-day                              1 1 day, 12:00:59\n"
                + "fresh                                2  0:00:07\n"
                + "two-days                             3 2 days,  3:04:05\n"
                + "from-the-future                      5  0:00:00\n", r.out());
    }

    @Test
    void shortFormHasTheLocalTimeAndNoSeconds() {
        XlHarness.Result r = xl.run("uptime", "-s", "two-days", "1", "0");

        assertEquals(" 11:00:00 up 2 days,  3:04, two-days (3)\n"
                + " 11:00:00 up 1 day, 12:00, one-day (1)\n"
                + " 11:00:00 up  5:03, Domain-0 (0)\n", r.out());
    }

    @Test
    void namedDomainsAreResolvedBeforeAnythingIsPrinted() {
        XlHarness.Result unknown = xl.run("uptime", "fresh", "nope");
        assertEquals(1, unknown.exit());
        assertEquals("", unknown.out());
        assertEquals("nope is an invalid domain identifier (rc=-6)\n", unknown.err());

        XlHarness.Result missingId = xl.run("uptime", "42", "fresh");
        assertEquals(0, missingId.exit());
        assertEquals(HEADER + "fresh                                2  0:00:07\n", missingId.out());
    }
}
