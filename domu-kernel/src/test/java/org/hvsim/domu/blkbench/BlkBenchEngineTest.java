package org.hvsim.domu.blkbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.junit.jupiter.api.Test;

/** blkbench's engine on a disk in memory that completes requests out of order. */
class BlkBenchEngineTest {
    private final SegmentGuestMemory memory = SegmentGuestMemory.allocate(64L << 20);

    private BlkBenchResult run(String cmdline, MemoryBlockDevice dev) {
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
        return new BlkBenchEngine(job, dev, buffers, () -> dev.now).run(null);
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
