package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Value;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.DomainRef;
import org.junit.jupiter.api.Test;

/**
 * Hostile virtio-blk frontends on a live host: while a "victim" guest runs a verified random read/write job on its
 * own disk, guests running {@code app=blkhostile} give dom0's backend every kind of bad input of issue 4, each on a
 * disk of its own. Each gets the spec's answer (a bad chain returned unused, a bad request IOERR, a broken ring
 * DEVICE_NEEDS_RESET) and, unless its ring broke, a good read after it; dom0 logs a warning per case and counts it
 * in the device's counters (its "closed (...)" line when the disk goes with the domain); the victim finishes
 * without an I/O or verify error; the hypervisor and dom0 are the processes they were at the start.
 *
 * <p>The backend's warnings share one rate limit of ten lines per ten seconds, and the cases make nine: one each.
 */
class BlockHostileIT extends HostPerClass {
    private static final String PRESERVE = "on_poweroff = \"preserve\"";
    private static final String DEVID = "51712";
    /** How long the victim's job runs: longer than the hostile guests take, with room on a busy machine. */
    private static final int VICTIM_RUNTIME_S = 35;
    /** Hostile guests being created at once. */
    private static final int CREATING_AT_ONCE = 3;

    /** A case, the answer its result must show, the backend's warning and the counter that must be 1. */
    private record Case(String name, String answer, String after, String warning, String counter) {}

    private static final List<Case> CASES = List.of(
            new Case("loop", "unused", "OK", "chain refused, returned unused: descriptor chain loops", "bad_chain"),
            new Case("long-chain", "unused", "OK",
                    "chain refused, returned unused: chain has more descriptors than the queue size", "bad_chain"),
            new Case("bad-ref", "unused", "OK",
                    "chain refused, returned unused: buffer or indirect table outside memory the device may access",
                    "bad_chain"),
            new Case("outside-grant", "unused", "OK",
                    "chain refused, returned unused: buffer or indirect table outside memory the device may access",
                    "bad_chain"),
            new Case("avail-jump", "DEVICE_NEEDS_RESET", "skipped",
                    "the ring is broken, DEVICE_NEEDS_RESET: available idx moved by more than the queue size",
                    "needs_reset"),
            new Case("writable-header", "IOERR", "OK", "answered IOERR: header is 0 device-readable bytes", "ioerr"),
            new Case("ro-data", "IOERR", "OK", "answered IOERR: IN with 512 device-readable data bytes", "ioerr"),
            new Case("past-end", "IOERR", "OK",
                    "answered IOERR: IN of 2 sectors at 2047 past the end of the disk (2048 sectors)",
                    "ioerr"),
            new Case("ro-write", "IOERR", "OK", "answered IOERR: OUT to a read-only device", "ioerr"));

    private Path image(String name, long bytes) throws IOException {
        Path p = host.home().resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    private static double number(Value v, String... path) {
        return Json.at(v, path).getNumberValue();
    }

    private static String string(Value v, String... path) {
        return Json.at(v, path).getStringValue();
    }

    @Test
    void everyKindOfBadInputGetsTheSpecsAnswerWhileAnotherGuestsVerifiedIoCarriesOn() throws Exception {
        long hypervisorPid = host.hypervisorPid();
        long dom0Pid = host.dom0().orElseThrow().pid();
        int victim = guests.start("victim", "blkbench rw=randrw bs=4k iodepth=8 verify=crc32c runtime="
                + VICTIM_RUNTIME_S + " dev=xvda", PRESERVE,
                "disk = [ 'format=raw, vdev=xvda, access=rw, target=" + image("victim.img", 8 << 20) + "' ]");
        guests.awaitConsole("victim", "blkbench: randrw bs=4096");

        long start = System.nanoTime();
        Map<Case, Integer> domids = new LinkedHashMap<>();
        // One xl each (a JVM start, the slow part), a few at a time; the guests stay, preserved, once they power off.
        ExecutorService xl = Executors.newFixedThreadPool(CREATING_AT_ONCE);
        try {
            Map<Case, Future<Integer>> created = new LinkedHashMap<>();
            for (Case c : CASES) {
                String access = c.name().equals("ro-write") ? "ro" : "rw";
                Path img = image("h-" + c.name() + ".img", 1 << 20);
                created.put(c, xl.submit(() -> createHostile(c.name(), access, img)));
            }
            for (Map.Entry<Case, Future<Integer>> e : created.entrySet()) {
                domids.put(e.getKey(), e.getValue().get());
            }
        } finally {
            xl.shutdownNow();
        }
        System.out.printf("BlockHostileIT: %d hostile guests created in %d ms%n", CASES.size(),
                (System.nanoTime() - start) / 1_000_000);
        for (Case c : CASES) {
            String name = "h-" + c.name();
            DomainInfo d = guests.await(name, DomainInfo::getShutdown, "blkhostile " + c.name() + " to finish");
            assertEquals(0, d.getShutdownReason(), name + " powered off (SHUTDOWN_poweroff), it did not crash:\n"
                    + host.consoleLog(name));
            Value r = Json.parse(host.domainService().getWorkloadResult(DomainRef.newBuilder().setDomain(name)
                    .build()).getJson());
            String console = host.consoleLog(name);
            assertEquals("blkhostile", string(r, "app"), console);
            assertEquals(c.name(), string(r, "case"));
            assertEquals(c.answer(), string(r, "answer"), c.name() + ": " + r + "\n" + console);
            assertEquals(c.answer(), string(r, "expected"));
            assertEquals(c.after(), string(r, "after"), c.name() + ": " + r + "\n" + console);
            assertTrue(console.contains("blkhostile: " + c.name() + ": answered: "), console);
            if (!c.after().equals("skipped")) {
                assertTrue(console.contains("blkhostile: " + c.name() + ": a good read after it: OK"), console);
            }
            guests.destroyQuietly(domids.get(c));
        }
        System.out.printf("BlockHostileIT: every hostile guest answered in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        assertFalse(host.domain("victim").orElseThrow().getShutdown(),
                "the victim was still running its job when the last hostile guest was done");

        guests.await("victim", DomainInfo::getShutdown, "blkbench to finish");
        Value v = Json.parse(host.xl("workload-result", "victim").expectOk().out());   // xl's path, once
        assertEquals(0, number(v, "errors", "io"), v.toString());
        assertEquals(0, number(v, "errors", "verify"), v.toString());
        assertTrue(number(v, "ios") > 1000, v.toString());
        assertTrue(number(v, "verified_sectors") > 0, v.toString());
        guests.destroyQuietly(victim);

        assertTrue(ProcessHandle.of(hypervisorPid).map(ProcessHandle::isAlive).orElse(false), "the hypervisor runs");
        assertEquals(dom0Pid, host.dom0().orElseThrow().pid(), "the same dom0 process");

        String log = awaitClosedLines(new ArrayList<>(domids.values()), victim);
        for (Map.Entry<Case, Integer> e : domids.entrySet()) {
            Case c = e.getKey();
            String vbd = "vbd-" + e.getValue() + "-" + DEVID + ": ";
            assertTrue(log.lines().anyMatch(l -> l.contains(vbd) && l.contains(c.warning())),
                    c.name() + ": no warning \"" + vbd + "..." + c.warning() + "\" in dom0.out:\n" + log);
            Map<String, Long> counters = counters(log, vbd);
            assertEquals(1, counters.get(c.counter()), c.name() + ": " + counters);
            assertEquals(c.after().equals("OK") ? 1 : 0, counters.get("ok"), c.name() + ": " + counters);
            for (String other : List.of("ioerr", "bad_chain", "needs_reset", "unsupp", "unanswerable", "image_error")) {
                if (!other.equals(c.counter())) {
                    assertEquals(0, counters.get(other), c.name() + ": " + other + " in " + counters);
                }
            }
        }
        Map<String, Long> own = counters(log, "vbd-" + victim + "-" + DEVID + ": ");
        assertEquals(0, own.get("ioerr") + own.get("bad_chain") + own.get("needs_reset") + own.get("image_error"),
                "the victim's device: " + own);
        assertEquals((long) number(v, "ios"), own.get("ok"), "every request of the victim's answered OK: " + own);
    }

    /** Creates the hostile guest of case {@code name} with one xl; its id. On failure, what the logs say of it. */
    private static int createHostile(String name, String access, Path img) throws Exception {
        String domain = "h-" + name;
        try {
            return guests.create(domain, "blkhostile case=" + name + " dev=xvda", PRESERVE, "on_crash = \"preserve\"",
                    "disk = [ 'format=raw, vdev=xvda, access=" + access + ", target=" + img + "' ]");
        } catch (AssertionError e) {
            String dom0 = Files.readString(host.home().resolve("log/dom0.out"));
            throw new AssertionError(e.getMessage() + "\nconsole:\n" + host.consoleLog(domain) + "\ndom0.out:\n"
                    + dom0.substring(Math.max(0, dom0.length() - 20_000)) + "\nhypervisor.out (end):\n"
                    + host.hypervisorLog().substring(Math.max(0, host.hypervisorLog().length() - 5_000)), e);
        }
    }

    /** Waits until dom0 has logged the "closed (...)" line of each disk; returns dom0's log. */
    private static String awaitClosedLines(List<Integer> hostile, int victim) throws IOException {
        Path out = host.home().resolve("log/dom0.out");
        List<Integer> all = new ArrayList<>(hostile);
        all.add(victim);
        String[] log = {""};
        Host.await(() -> {
            try {
                log[0] = Files.readString(out);
            } catch (IOException e) {
                return false;
            }
            return all.stream().allMatch(d -> log[0].contains("vbd-" + d + "-" + DEVID + ": closed ("));
        }, Guests.TIMEOUT_MS, () -> "every disk's closed line in dom0.out:\n" + log[0]);
        return log[0];
    }

    private static final Pattern CLOSED = Pattern.compile("closed \\(([a-z_=0-9 ]+)\\)");

    /** The counters of {@code vbd}'s "closed (name=value ...)" line. */
    private static Map<String, Long> counters(String log, String vbd) {
        String line = log.lines().filter(l -> l.contains(vbd + "closed (")).findFirst()
                .orElseThrow(() -> new AssertionError("no closed line of " + vbd));
        Matcher m = CLOSED.matcher(line.substring(line.indexOf(vbd)));
        assertTrue(m.find(), line);
        Map<String, Long> out = new LinkedHashMap<>();
        for (String kv : m.group(1).split(" ")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return out;
    }
}
