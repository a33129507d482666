package org.hvsim.domu.blkbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.junit.jupiter.api.Test;

/** blkbench's engine on a disk in memory that completes requests out of order. */
class BlkBenchEngineTest {
    private final SegmentGuestMemory memory = SegmentGuestMemory.allocate(64L << 20);

    private static final Pattern DURABLE =
            Pattern.compile("blkbench: durable: writes 0\\.\\.(\\d+) flushed \\(flush (\\d+)\\)");

    private BlkBenchResult run(String cmdline, MemoryBlockDevice dev) {
        return run(cmdline, dev, line -> {});
    }

    private BlkBenchResult run(String cmdline, MemoryBlockDevice dev, Consumer<String> console) {
        BlkBenchJob job = BlkBenchJob.from(CommandLine.parse("app=blkbench " + cmdline));
        int slots = BlkBenchEngine.slots(job, dev);
        List<GuestBuffer> buffers = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < slots; i++) {
            int pages = (job.blockSize() + Page.SIZE - 1) / Page.SIZE;
            long[] addrs = new long[pages];
            for (int p = 0; p < pages; p++) {
                addrs[p] = next;
                next += 2 * Page.SIZE;   // not contiguous: every other page
            }
            buffers.add(new GuestBuffer(memory, addrs, job.blockSize()));
        }
        return new BlkBenchEngine(job, dev, buffers, () -> dev.now, console).run(null);
    }

    /** A durable line as printed: the last write it covers, which flush, and when (the device's clock). */
    private record Durable(long last, int flush, long atNs) {}

    /** Runs a job, checking each durable line against what the device had done when it was printed. */
    private List<Durable> runDurable(String cmdline, MemoryBlockDevice dev, int blockSize) {
        List<Durable> lines = new ArrayList<>();
        run(cmdline, dev, line -> {
            Matcher m = DURABLE.matcher(line);
            assertTrue(m.matches(), line);
            Durable d = new Durable(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), dev.now);
            assertTrue(d.flush() <= dev.flushesCompleted, line + ": flush " + d.flush() + " has not completed");
            var before = dev.completedAtFlush.get(d.flush() - 1);
            for (long w = 0; w <= d.last(); w++) {
                assertTrue(before.get((int) (w * blockSize / 512)), line + ": write " + w
                        + " had not completed when flush " + d.flush() + " was submitted");
            }
            lines.add(d);
        });
        for (int i = 1; i < lines.size(); i++) {
            assertTrue(lines.get(i).last() > lines.get(i - 1).last(), "advances: " + lines);
            assertTrue(lines.get(i).flush() > lines.get(i - 1).flush(), "advances: " + lines);
            if (i < lines.size() - 1) {
                assertTrue(lines.get(i).atNs() - lines.get(i - 1).atNs() >= BlkBenchEngine.DURABLE_PRINT_INTERVAL_NS,
                        "at most one line every 100 ms but the last: " + lines);
            }
        }
        return lines;
    }

    @Test
    void flushedWritesArePrintedAsDurableOnlyWhenCompletedBeforeTheFlushAndTheCountAdvances() {
        MemoryBlockDevice dev = new MemoryBlockDevice(4 << 20, 32, false);
        dev.serviceNs = 1_000_000;   // 1 ms a completion: about 1,100 ms of the job's clock
        List<Durable> lines = runDurable("rw=write bs=4k iodepth=16 verify=crc32c fsync=8", dev, 4096);
        assertTrue(lines.size() >= 8 && lines.size() <= 13, "about one line every 100 ms: " + lines);
        assertTrue(lines.getLast().last() >= 1024 - 8 - 2 * 16,
                "the end of the pass, but for the last writes: " + lines);
        // Write i is block i and carries generation g + i: what a check of the image after a crash relies on.
        byte[] block = new byte[4096];
        System.arraycopy(dev.disk, 0, block, 0, 4096);
        long g = VerifyPattern.generation(block, 0);
        for (int i = 0; i <= lines.getLast().last(); i++) {
            System.arraycopy(dev.disk, i * 4096, block, 0, 4096);
            long[] want = new long[8];
            java.util.Arrays.fill(want, g + i);
            assertNull(VerifyPattern.check(block, 4096, i * 8L, want), "block " + i);
        }
    }

    @Test
    void aFailedWriteStopsTheDurableCountBeforeIt() {
        MemoryBlockDevice dev = new MemoryBlockDevice(1 << 20, 32, false);
        dev.serviceNs = 5_000_000;
        dev.failWriteAt = 4096 * 40;
        List<Durable> lines = runDurable("rw=write bs=4k iodepth=8 fsync=4", dev, 4096);
        assertTrue(!lines.isEmpty(), "the writes before it were flushed");
        assertTrue(lines.getLast().last() < 40, "never past the failed write 40: " + lines);
    }

    @Test
    void aWriteHeldUpHoldsTheJobUpWithinTheWindowAndThenItCarriesOn() {
        MemoryBlockDevice dev = new MemoryBlockDevice(4 << 20, 32, false);
        dev.holdWriteAt = 512 * 3;
        List<Durable> lines = runDurable("rw=write bs=512 iodepth=16 fsync=8", dev, 512);
        assertEquals(3 + DurablePoint.WINDOW - 1, dev.maxOffsetWhileHeld / 512,
                "writes went on up to the window's end past the held one, and no further");
        assertTrue(lines.getLast().last() >= 8192 - 8 - 2 * 16, lines.getLast().toString());
    }

    @Test
    void aRequestTheDeviceRefusesGoesNextSoNoBlockIsSkipped() {
        for (String rw : List.of("write", "randwrite")) {
            MemoryBlockDevice dev = new MemoryBlockDevice(1 << 20, 64, false);
            dev.refuseEvery = 3;
            BlkBenchResult r = run("rw=" + rw + " bs=4k iodepth=8 verify=crc32c", dev);
            assertEquals(256, r.writes(), rw);
            assertEquals(0, r.verifyErrors(), rw + ": " + r.errorSamples());
            assertNull(VerifyPattern.check(dev.disk, dev.disk.length, 0, null), rw + ": every block written");
        }
    }

    @Test
    void aJobThatDoesNotFlushPrintsNothingAsItRuns() {
        Consumer<String> none = line -> {
            throw new AssertionError("printed " + line);
        };
        run("rw=randwrite bs=4k iodepth=8", new MemoryBlockDevice(1 << 20, 32, false), none);
        run("rw=randread bs=4k iodepth=8 fsync=4", new MemoryBlockDevice(1 << 20, 32, false), none);
    }

    @Test
    void aSequentialWritePassWritesEveryBlockOnceWithVerifiableDataAndReadsItBack() {
        MemoryBlockDevice dev = new MemoryBlockDevice(1 << 20, 64, false);
        BlkBenchResult r = run("rw=write bs=8k iodepth=16 verify=crc32c", dev);
        assertEquals(128, r.writes());
        assertEquals(128, r.reads(), "the read-back pass of a write-only verify job");
        assertEquals(0, r.verifyErrors(), r.errorSamples().toString());
        assertEquals((1 << 20) / 512, r.verifiedSectors());
        assertEquals(16, dev.maxInFlight, "iodepth requests in flight");
        assertNull(VerifyPattern.check(dev.disk, dev.disk.length, 0, null), "the image checks out from outside");
    }

    @Test
    void aLostWriteIsFoundAsStaleDataOfAnEarlierRun() {
        MemoryBlockDevice dev = new MemoryBlockDevice(1 << 20, 64, false);
        run("rw=write bs=4k iodepth=4 verify=crc32c", dev);
        dev.loseWritesAt = 4096 * 10;
        BlkBenchResult r = run("rw=write bs=4k iodepth=4 verify=crc32c", dev);
        assertEquals(1, r.verifyErrors(), r.errorSamples().toString());
        assertTrue(r.errorSamples().getFirst().startsWith("verify: sector 80: from write "), r.errorSamples().toString());
        assertTrue(r.errorSamples().getFirst().endsWith("(stale or lost)"), r.errorSamples().toString());
    }

    @Test
    void aTornSectorIsACrcErrorAndAMisplacedOneIsNamed() {
        MemoryBlockDevice dev = new MemoryBlockDevice(64 * 1024, 8, false);
        run("rw=write bs=4k verify=crc32c", dev);
        dev.disk[4096 * 3 + 100] ^= 1;
        System.arraycopy(dev.disk, 0, dev.disk, 4096 * 5, 512);
        BlkBenchResult r = run("rw=read bs=4k iodepth=2 verify=crc32c", dev);
        assertEquals(2, r.verifyErrors(), r.errorSamples().toString());
        assertTrue(r.errorSamples().stream().anyMatch(e -> e.contains("sector 24: crc32c")), r.errorSamples().toString());
        assertTrue(r.errorSamples().stream().anyMatch(e -> e.contains("sector 40: holds sector 0's data (misplaced)")),
                r.errorSamples().toString());
    }

    @Test
    void readingAnUnwrittenDiskWithVerifySaysSo() {
        MemoryBlockDevice dev = new MemoryBlockDevice(16 * 1024, 8, false);
        BlkBenchResult r = run("rw=randread bs=4k iodepth=4 verify=crc32c", dev);
        assertEquals(4, r.reads());
        assertEquals(4, r.verifyErrors());
        assertTrue(r.errorSamples().getFirst().contains("no blkbench header"), r.errorSamples().toString());
    }

    @Test
    void fsyncEveryNWritesFlushesAndAnIoErrorIsCountedAndTheJobCarriesOn() {
        MemoryBlockDevice dev = new MemoryBlockDevice(1 << 20, 32, false);
        dev.failWriteAt = 4096 * 7;
        BlkBenchResult r = run("rw=randwrite bs=4k iodepth=8 fsync=10 seed=9", dev);
        assertEquals(256, r.writes() + r.ioErrors());
        assertTrue(r.flushes() >= (r.writes() / 10) - 1 && r.flushes() <= r.writes() / 10 + 1, r.toString());
        assertTrue(r.ioErrors() <= 1, r.toString());
    }

    @Test
    void aRuntimeJobRunsUntilItsDeadlineOnTheClockAndReportsRates() {
        MemoryBlockDevice dev = new MemoryBlockDevice(1 << 20, 32, false);
        dev.serviceNs = 100_000;   // 10,000 completions a second of simulated time
        BlkBenchResult r = run("rw=randread bs=4k iodepth=32 runtime=1", dev);
        assertTrue(r.ios() >= 10_000 && r.ios() <= 10_000 + 32, r.toString());
        assertEquals(10_000, r.iops(), 40);
        assertEquals(r.iops() * 4096 / 1e6, r.mbps(), 0.01);
        assertTrue(r.latency().percentile(0.5) > 0);
        assertTrue(r.json().startsWith("{\"app\":\"blkbench\",\"rw\":\"randread\",\"bs\":4096,\"iodepth\":32,\"dev\":\"xvda\","),
                r.json());
        assertTrue(r.summary().getFirst().startsWith("blkbench: randread bs=4096 iodepth=32 on xvda: "), r.summary().toString());
    }

    @Test
    void aRandrwMixSplitsReadsAndWrites() {
        MemoryBlockDevice dev = new MemoryBlockDevice(4 << 20, 32, false);
        BlkBenchResult r = run("rw=randrw rwmixread=70 bs=4k iodepth=16", dev);
        assertEquals(1024, r.ios(), "one pass: each block once");
        assertEquals(0.7, r.reads() / 1024.0, 0.06);
        BlkBenchResult v = run("rw=randrw rwmixread=70 bs=4k iodepth=16 verify=crc32c", dev);
        assertEquals(1024 + v.writes(), v.ios(), "the pass, then every block it wrote read back");
        assertEquals(v.writes() * 8, v.verifiedSectors());
        assertEquals(0, v.verifyErrors(), v.errorSamples().toString());
    }

    @Test
    void aDiskSmallerThanABlockOrReadOnlyForWritesIsRefused() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> run("bs=64k", new MemoryBlockDevice(32 * 1024, 8, false)));
        assertEquals("xvda (32768 bytes) is smaller than one 65536-byte block", small.getMessage());
        IllegalArgumentException ro = assertThrows(IllegalArgumentException.class,
                () -> run("rw=write", new MemoryBlockDevice(32 * 1024, 8, true)));
        assertEquals("xvda is read-only; rw=write writes", ro.getMessage());
    }
}
