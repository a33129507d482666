package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.SetSchedCreditPoolRequest;
import org.hvsim.proto.control.SetSchedCreditRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** xl sched-credit against a fake control plane: xl_sched.c's outputs, option rules and messages. */
class SchedCreditCommandTest {
    private final XlHarness xl = newHarness();

    private static XlHarness newHarness() {
        try {
            XlHarness h = new XlHarness();
            h.host.domains.add(DomainInfo.newBuilder().setDomid(1).setName("web").build());
            return h;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void close() throws InterruptedException {
        xl.close();
    }

    @Test
    void listsThePoolLineAHeaderAndARowPerDomain() {
        XlHarness.Result r = xl.run("sched-credit");
        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us
                Name                                ID Weight  Cap
                Domain-0                             0    256    0
                web                                  1    512   50
                """, r.out());
    }

    @Test
    void aHostWhoseSchedulerIsNotCreditListsNothingAndItsPoolParamsAreUnavailable() {
        xl.scheduler.credit = false;
        XlHarness.Result list = xl.run("sched-credit");
        assertEquals(0, list.exit());
        assertEquals("", list.out());
        XlHarness.Result pool = xl.run("sched-credit", "-s");
        assertEquals(0, pool.exit());
        assertEquals("Cpupool Pool-0: [sched params unavailable]\n", pool.out());
        XlHarness.Result one = xl.run("sched-credit", "-d", "web");
        assertEquals(1, one.exit());
        assertEquals("Name                                ID Weight  Cap\n", one.out());
        assertEquals("libxl_domain_sched_params_get returned rr not credit.\n", one.err());
    }

    @Test
    void oneDomainByNameOrId() {
        for (String dom : List.of("web", "1")) {
            XlHarness.Result r = xl.run("sched-credit", "-d", dom);
            assertEquals(0, r.exit(), r.err());
            assertEquals("Name                                ID Weight  Cap\n"
                    + "web                                  1    512   50\n", r.out());
        }
    }

    @Test
    void setsWeightAndCapOfADomainAndOnlyWhatWasGiven() {
        assertEquals(0, xl.run("sched-credit", "-d", "web", "-w", "1024").exit());
        assertEquals(0, xl.run("sched-credit", "--domain=web", "--cap=25").exit());
        assertEquals(List.of(SetSchedCreditRequest.newBuilder().setDomain("1").setWeight(1024).build(),
                SetSchedCreditRequest.newBuilder().setDomain("1").setCap(25).build()), xl.scheduler.requests);
    }

    @Test
    void showsAndSetsThePoolParameters() {
        XlHarness.Result show = xl.run("sched-credit", "-s");
        assertEquals("Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us\n", show.out());
        assertEquals(0, xl.run("sched-credit", "-s", "-t", "10", "-r", "500", "-m", "100").exit());
        assertEquals(SetSchedCreditPoolRequest.newBuilder().setTsliceMs(10).setRatelimitUs(500).setMigrationDelayUs(100)
                .build(), xl.scheduler.requests.getLast());
        assertEquals(0, xl.run("sched-credit", "-s", "-p", "Pool-0", "-r", "0").exit());
        assertEquals(SetSchedCreditPoolRequest.newBuilder().setRatelimitUs(0).build(), xl.scheduler.requests.getLast());
    }

    @Test
    void optionRulesAsXlHasThem() {
        assertRefused("Must specify a domain.\n", "sched-credit", "-w", "512");
        assertRefused("Specifying a cpupool or schedparam is not allowed with domain options.\n",
                "sched-credit", "-s", "-d", "web");
        assertRefused("Specifying a cpupool or schedparam is not allowed with domain options.\n",
                "sched-credit", "-p", "Pool-0", "-d", "web", "-w", "5");
        assertRefused("Must specify schedparam to set schedule parameter values.\n", "sched-credit", "-t", "5");
        assertRefused("unknown cpupool 'Pool-7'\n", "sched-credit", "-p", "Pool-7");
        assertEquals(List.of(), xl.scheduler.requests, "nothing was asked of dom0");
    }

    @Test
    void dom0sRefusalAndXlsOwnLine() {
        xl.scheduler.refusal = "Cpu weight out of range, valid values are within range from 1 to 65535";
        assertRefused("Cpu weight out of range, valid values are within range from 1 to 65535\n"
                + "libxl_domain_sched_params_set failed.\n", "sched-credit", "-d", "web", "-w", "0");
        xl.scheduler.refusal = "Ratelimit cannot be greater than timeslice";
        assertRefused("Ratelimit cannot be greater than timeslice\nlibxl_sched_credit_params_set failed.\n",
                "sched-credit", "-s", "-t", "1", "-r", "5000");
    }

    @Test
    void anUnknownDomainIsXlsError() {
        XlHarness.Result r = xl.run("sched-credit", "-d", "nope");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("nope"), r.err());
    }

    private void assertRefused(String err, String... args) {
        XlHarness.Result r = xl.run(args);
        assertEquals(1, r.exit(), r.out());
        assertEquals(err, r.err());
    }
}
