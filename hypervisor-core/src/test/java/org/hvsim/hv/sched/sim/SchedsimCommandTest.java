package org.hvsim.hv.sched.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** schedsim in-process: the examples' results, the table, and every error path with its exit code. */
class SchedsimCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        return SchedsimMain.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err), args);
    }

    static String example(String name) throws IOException {
        try (InputStream in = SchedsimCommandTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, name + " is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The row of domain {@code domid} (or "idle"), split into its columns. */
    private List<String> row(String domid) {
        return out.toString().lines().map(String::trim).filter(l -> l.startsWith(domid + " "))
                .map(l -> Arrays.asList(l.split("\\s+"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + domid + " in\n" + out));
    }

    private double hostShare(String domid) {
        return Double.parseDouble(row(domid).get(domid.equals("idle") ? 1 : 3));
    }

    @Test
    void weights256_512_1024GiveOneSeventhTwoSeventhsFourSevenths() throws IOException {
        assertEquals(0, run(example("weights-1-2-4.txt"), "-"), err.toString());

        assertEquals("", err.toString());
        assertEquals("scheduler credit, 1 pCPU, 10.000 s simulated", out.toString().lines().findFirst().orElseThrow());
        assertEquals(100.0 / 7, hostShare("1"), 2.0);
        assertEquals(200.0 / 7, hostShare("2"), 2.0);
        assertEquals(400.0 / 7, hostShare("3"), 2.0);
        assertEquals(0.0, hostShare("idle"), 0.05);
        // CPU-bound domains never block, so they never wake: no latency.
        assertEquals(List.of("1", "256", "0"), row("1").subList(0, 3));
        assertEquals(List.of("0", "-", "-", "-"), row("3").subList(5, 9));
    }

    @Test
    void roundRobinIgnoresTheWeights() throws IOException {
        assertEquals(0, run(example("weights-1-2-4.txt"), "--sched", "rr", "--duration", "3s", "-"), err.toString());

        assertEquals("scheduler rr, 1 pCPU, 3.000 s simulated (weights and caps ignored)",
                out.toString().lines().findFirst().orElseThrow());
        for (String d : List.of("1", "2", "3")) {
            assertEquals(100.0 / 3, hostShare(d), 2.0);
        }
    }

    @Test
    void theIoGuestNextToTwoBurnersWakesWithinAMillisecondUnderCreditNotUnderRoundRobin() throws IOException {
        Path file = tmp.resolve("io.txt");
        Files.writeString(file, example("io-next-to-burners.txt"));

        assertEquals(0, run("", "--duration", "2s", file.toString()), err.toString());
        List<String> credit = row("1");
        double creditP99 = Double.parseDouble(credit.get(7));
        assertTrue(Integer.parseInt(credit.get(5)) > 1000, "the I/O guest woke often: " + out);
        assertTrue(creditP99 <= 1.0, "p99 under credit " + creditP99 + " ms\n" + out);

        out.getBuffer().setLength(0);
        assertEquals(0, run("", "--sched", "rr", "--duration", "2s", file.toString()), err.toString());
        double rrP99 = Double.parseDouble(row("1").get(7));
        assertTrue(rrP99 > 10.0, "p99 under rr " + rrP99 + " ms\n" + out);
    }

    @Test
    void theTableHasAHeaderARowPerDomainIdleAndTheContextSwitches() {
        String workload = "pcpus 2\ndomain 7 weight=512 cap=50\ndomain 9 run=burst:1ms/4ms\n";
        assertEquals(0, run(workload, "--duration", "1s", "-"), err.toString());

        List<String> lines = out.toString().lines().toList();
        assertEquals(6, lines.size(), out.toString());
        assertEquals("scheduler credit, 2 pCPUs, 1.000 s simulated", lines.get(0));
        assertEquals("Domain Weight  Cap  Host%  pCPU%   Wakes    p50 ms    p99 ms  p99.9 ms", lines.get(1));
        // Domain 7 is capped at 50% of one pCPU, a quarter of this host; domain 9 runs 1 ms in every 5.
        assertEquals(List.of("7", "512", "50"), row("7").subList(0, 3));
        assertEquals(25.0, hostShare("7"), 1.0);
        assertEquals(Double.parseDouble(row("7").get(3)) * 2, Double.parseDouble(row("7").get(4)), 0.11);
        assertEquals(10.0, hostShare("9"), 1.0);
        assertTrue(lines.get(3).matches(" +9 +256 +0 +[0-9.]+ +[0-9.]+ +\\d+ +\\d+\\.\\d{3} +\\d+\\.\\d{3} +\\d+\\.\\d{3}"),
                lines.get(3));
        assertEquals(100.0, hostShare("7") + hostShare("9") + hostShare("idle"), 0.15);
        assertTrue(lines.get(5).matches("Context switches: \\d+"), lines.get(5));
    }

    @Test
    void aWorkloadErrorNamesTheLineAndExits2() {
        assertEquals(2, run("pcpus 1\n# a comment\ndomain 1 wieght=256\n", "-"));

        assertEquals("", out.toString());
        assertEquals("schedsim: stdin: line 3: unknown key 'wieght'\n", err.toString());
    }

    @Test
    void anErrorInAFileNamesTheFile() throws IOException {
        Path file = tmp.resolve("bad.txt");
        Files.writeString(file, "domain 1 run=burst:10us\n");

        assertEquals(2, run("", file.toString()));
        assertEquals("schedsim: " + file + ": line 1: run is cpu, burst:RUN/BLOCK or yield:TICK/LEAD, got 'burst:10us'\n",
                err.toString());
    }

    @Test
    void aCapThePolicyRefusesNamesTheDomainAndExits2() {
        assertEquals(2, run("pcpus 2\ndomain 4 cap=250\n", "-"));

        assertEquals("schedsim: stdin: domain 4: Cpu cap out of range, valid range is from 0 to 200\n", err.toString());
    }

    @Test
    void anEmptyWorkloadExits2() {
        assertEquals(2, run("# nothing\n", "-"));

        assertEquals("schedsim: stdin: no domain in the workload\n", err.toString());
    }

    @Test
    void aMissingFileExits1() {
        Path missing = tmp.resolve("missing.txt");

        assertEquals(1, run("", missing.toString()));
        assertEquals("", out.toString());
        assertEquals("schedsim: cannot read " + missing + ": no such file\n", err.toString());
    }

    @Test
    void aDirectoryIsNotReadableExits1() {
        assertEquals(1, run("", tmp.toString()));
        assertTrue(err.toString().startsWith("schedsim: cannot read " + tmp + ": "), err.toString());
    }

    @Test
    void anUnknownSchedulerOrABadDurationExits2() {
        assertEquals(2, run("domain 1\n", "--sched", "sedf", "-"));
        assertEquals("schedsim: unknown scheduler 'sedf' (valid: credit, credit-noboost, rr)\n", err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run("domain 1\n", "--duration", "0s", "-"));
        assertEquals("schedsim: the duration must be positive, got '0s'\n", err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run("domain 1\n", "--duration", "ten", "-"));
        assertEquals("schedsim: invalid duration 'ten' (e.g. 10s, 500ms, 250us)\n", err.toString());
    }

    @Test
    void noFileIsAUsageError() {
        assertEquals(2, run(""));
        assertTrue(err.toString().startsWith("Missing required parameter: 'FILE|-'"), err.toString());
    }
}
