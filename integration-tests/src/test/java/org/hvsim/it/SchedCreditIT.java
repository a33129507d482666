package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hvsim.tools.xentrace.TraceEventFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A host booted with the credit scheduler: xl info names it, xl.cfg's cpu_weight and cap reach the
 * hypervisor, and xl sched-credit shows and changes a domain's weight and cap and the pool's parameters,
 * with libxl's refusals for values out of range; xl vcpu-pin sets affinities and refuses a pCPU the host
 * does not have; xl vcpu-runstate shows where each vCPU's time went; tools/bin/xentrace records a trace
 * that is valid trace-event JSON, in which no pCPU runs two vCPUs at once.
 */
class SchedCreditIT {
    private static Host host;
    private static Guests guests;

    @BeforeAll
    static void startHost() throws Exception {
        host = Host.start("1G", 2, "--sched", "credit");
        guests = new Guests(host);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @AfterEach
    void destroyLeftovers() {
        guests.destroyAll();
    }

    @Test
    void xlInfoNamesCreditAndXlCfgWeightAndCapReachTheScheduler() throws Exception {
        assertEquals("credit", host.xl("info", "xen_scheduler").expectOk().out().strip());
        int domid = guests.create("weighty", "idle", "cpu_weight = 1024", "cap = 50");
        List<String> lines = host.xl("sched-credit").expectOk().outLines();
        assertEquals("Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us", lines.get(0));
        assertEquals("Name                                ID Weight  Cap", lines.get(1));
        assertEquals("Domain-0                             0    256    0", lines.get(2));
        assertEquals(String.format("%-33s %4d %6d %4d", "weighty", domid, 1024, 50), lines.get(3));
    }

    @Test
    void schedCreditSetsAndShowsAndRefusesWhatLibxlRefuses() throws Exception {
        int domid = guests.create("tuned", "idle");
        host.xl("sched-credit", "-d", "tuned", "-w", "300", "-c", "20").expectOk();
        assertEquals(List.of("Name                                ID Weight  Cap",
                String.format("%-33s %4d %6d %4d", "tuned", domid, 300, 20)),
                host.xl("sched-credit", "-d", "tuned").expectOk().outLines());

        Run badWeight = host.xl("sched-credit", "-d", "tuned", "-w", "70000").expectExit(1);
        assertEquals(List.of("Cpu weight out of range, valid values are within range from 1 to 65535",
                "libxl_domain_sched_params_set failed."), badWeight.errLines());
        Run badCap = host.xl("sched-credit", "-d", "tuned", "-c", "101").expectExit(1);
        assertEquals("Cpu cap out of range, valid range is from 0 to 100 for specified number of vcpus",
                badCap.errLines().getFirst());
        assertTrue(host.xl("sched-credit", "-d", "tuned").expectOk().out().contains(" 300   20"), "nothing changed");

        host.xl("sched-credit", "-s", "-t", "10", "-r", "500").expectOk();
        assertEquals("Cpupool Pool-0: tslice=10ms ratelimit=500us migration-delay=0us",
                host.xl("sched-credit", "-s").expectOk().out().strip());
        Run badRatelimit = host.xl("sched-credit", "-s", "-t", "1", "-r", "5000").expectExit(1);
        assertEquals(List.of("Ratelimit cannot be greater than timeslice", "libxl_sched_credit_params_set failed."),
                badRatelimit.errLines());
        host.xl("sched-credit", "-s", "-t", "30", "-r", "1000").expectOk();
    }

    @Test
    void vcpuPinSetsHardAndSoftAffinityAndRefusesAPcpuTheHostDoesNotHave() throws Exception {
        guests.create("pinned", "idle", "vcpus = 2");
        host.xl("vcpu-pin", "pinned", "1", "1").expectOk();
        host.xl("vcpu-pin", "pinned", "all", "-", "0").expectOk();
        List<String> rows = host.xl("vcpu-list", "pinned").expectOk().outLines();
        assertTrue(rows.get(1).endsWith("all / 0"), rows.toString());
        assertTrue(rows.get(2).endsWith("1 / 0"), rows.toString());

        Run noSuchPcpu = host.xl("vcpu-pin", "pinned", "0", "5").expectExit(1);
        assertEquals("Could not set affinity for vcpu `0'.", noSuchPcpu.errLines().getLast());
        Run noSuchVcpu = host.xl("vcpu-pin", "pinned", "7", "1").expectExit(1);
        assertEquals("Could not set affinity for vcpu `7'.", noSuchVcpu.errLines().getLast());
        assertEquals(List.of("Error: Invalid argument x as VCPU."),
                host.xl("vcpu-pin", "pinned", "x", "1").expectExit(1).errLines());
        assertTrue(host.xl("vcpu-list", "pinned").expectOk().outLines().get(1).endsWith("all / 0"), "nothing changed");
    }

    @Test
    void xentraceRecordsATraceEventFileWhereEachPcpuRunsOneVcpuAtATime() throws Exception {
        int burner1 = guests.create("burn1", "cpuburn");
        int burner2 = guests.create("burn2", "cpuburn");
        int waker = guests.create("waker", "iolat period_us=1000");
        guests.awaitConsole("waker", "iolat: report");
        Path file = host.home().resolve("trace.json");
        Run run = host.run(Host.ROOT.resolve("tools/bin/xentrace"), "", "-T", "1.5", "-o", file.toString())
                .expectOk();
        assertTrue(run.err().contains("xentrace: wrote " + file), run.err());

        TraceEventFile trace = TraceEventFile.of(Files.readString(file));
        assertEquals(List.of(), trace.schemaErrors());
        trace.assertNoPcpuRanTwoVcpusAtOnce();
        Map<Integer, List<TraceEventFile.Span>> pcpus = trace.pcpuSpans();
        assertEquals(Set.of(0, 1), pcpus.keySet(), "a track for each pCPU");
        Set<String> ran = new HashSet<>();
        pcpus.values().forEach(spans -> spans.forEach(s -> ran.add(s.name())));
        assertTrue(ran.containsAll(Set.of("burn1 v0", "burn2 v0", "waker v0")), ran.toString());

        // The I/O guest's own track: it blocks, is boosted when its timer wakes it, and takes upcalls.
        List<String> wakerStates = trace.spans(waker + 1).get(0).stream().map(TraceEventFile.Span::name).toList();
        assertTrue(wakerStates.contains("blocked") && wakerStates.contains("running"), wakerStates.toString());
        Map<String, Integer> instants = new HashMap<>();
        boolean credit = false;
        for (JsonNode e : trace.events()) {
            String ph = e.get("ph").asString();
            if (ph.equals("i") && e.get("pid").asInt() == waker + 1) {
                instants.merge(e.get("name").asString(), 1, Integer::sum);
            }
            credit |= ph.equals("C") && (e.get("pid").asInt() == burner1 + 1 || e.get("pid").asInt() == burner2 + 1);
        }
        assertTrue(instants.getOrDefault("timer", 0) > 100, "the 1 ms timer fires ~1500 times: " + instants);
        assertTrue(instants.getOrDefault("upcall", 0) > 100, instants.toString());
        assertTrue(instants.getOrDefault("boost", 0) > 10, "woken from a block while UNDER: " + instants);
        assertTrue(credit, "credit counters of the burners after accounting");

        Run tooShort = host.run(Host.ROOT.resolve("tools/bin/xentrace"), "", "-T", "0");
        assertEquals(1, tooShort.exit(), "-T 0 is refused before recording");
    }

    /** One row of xl vcpu-runstate: the state and the seconds in each state, as printed. */
    private record RunstateRow(String state, double running, double runnable, double blocked, double offline) {
        double sum() {
            return running + runnable + blocked + offline;
        }
    }

    /** xl vcpu-runstate's rows for vCPU 0 of each domain, by name, and the wall-clock interval xl ran in. */
    private record RunstateSample(Map<String, RunstateRow> rows, long beforeNs, long afterNs) {}

    private static RunstateSample sampleRunstates() {
        try {
            long before = System.nanoTime();
            List<String> lines = host.xl("vcpu-runstate").expectOk().outLines();
            long after = System.nanoTime();
            assertEquals("Name                                ID  VCPU State    Running(s) Runnable(s) Blocked(s) "
                    + "Offline(s)", lines.getFirst());
            Map<String, RunstateRow> rows = new HashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                assertEquals(8, f.length, line);
                if (f[2].equals("0")) {
                    rows.put(f[0], new RunstateRow(f[3], Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                            Double.parseDouble(f[6]), Double.parseDouble(f[7])));
                }
            }
            return new RunstateSample(rows, before, after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Test
    void vcpuRunstateShowsABurnerRunningAndAnIdleGuestBlockedWithTimesAddingUpToTheirAge() throws Exception {
        long beforeCreate = System.nanoTime();
        guests.create("rs-burn", "cpuburn");
        guests.create("rs-idle", "idle");
        long afterCreate = System.nanoTime();
        RunstateSample[] last = new RunstateSample[1];
        Host.await(() -> {
            last[0] = sampleRunstates();
            RunstateRow burn = last[0].rows().get("rs-burn");
            RunstateRow idle = last[0].rows().get("rs-idle");
            return burn != null && idle != null && burn.running() > 0.5 && idle.blocked() > 0.5;
        }, Guests.TIMEOUT_MS, () -> "the burner to run and the idle guest to block for 0.5 s: " + last[0]);

        RunstateSample sample = last[0];
        RunstateRow burn = sample.rows().get("rs-burn");
        RunstateRow idle = sample.rows().get("rs-idle");
        assertTrue(List.of("running", "runnable").contains(burn.state()), burn.toString());
        assertEquals(0.0, burn.blocked(), 0.1, "a burner never blocks: " + burn);
        assertTrue(idle.running() < idle.blocked() / 10, "the idle guest hardly runs: " + idle);
        assertEquals("running", sample.rows().get("Domain-0").state(), "dom0's vCPUs are the dom0 process's threads");
        // Each vCPU was created during the two xl creates and sampled while xl vcpu-runstate ran: its four times
        // add up to its age, within those intervals and the rounding of four tenths.
        double oldest = (sample.afterNs() - beforeCreate) / 1e9 + 0.2;
        double youngest = (sample.beforeNs() - afterCreate) / 1e9 - 0.2;
        for (RunstateRow row : List.of(burn, idle)) {
            assertTrue(row.sum() <= oldest && row.sum() >= youngest,
                    "times add up to " + row.sum() + " s; the vCPU is " + youngest + " to " + oldest + " s old: " + row);
        }
        Run named = host.xl("vcpu-runstate", "rs-idle", "9999").expectOk();
        assertEquals(2, named.outLines().size(), named.out());
        assertTrue(named.outLines().get(1).startsWith(String.format("%-32s %5d %5d ", "rs-idle",
                host.domain("rs-idle").orElseThrow().getDomid(), 0)), named.out());
        assertEquals(List.of("Domain '9999' does not exist."), named.errLines());
    }
}
