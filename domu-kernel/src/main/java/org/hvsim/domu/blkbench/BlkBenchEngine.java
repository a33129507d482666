package org.hvsim.domu.blkbench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.hvsim.domu.blk.BlockDevice;
import org.hvsim.domu.blk.BlockRequest;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.cpu.PerCpu;

/**
 * Runs a {@link BlkBenchJob} on a {@link BlockDevice}: keeps {@code iodepth} requests in flight (each with
 * its own buffer), sequentially or at random block offsets within the job's region (a {@link RandomMap}:
 * every block once per pass, as fio's random map), for the runtime or one pass over the region; with {@code fsync=N} a flush follows every N completed writes; with
 * {@code verify=crc32c} writes carry {@link VerifyPattern} data, reads are checked (against the write
 * that last completed for that block, when this job wrote it), no two requests touch the same block at
 * once, and jobs that write read back every block they wrote at the end (a random pass visits each block
 * once, so only this read-back checks what a randrw job wrote).
 *
 * <p>A job that writes with {@code fsync=N} says on the console which of its writes are durable. Writes are
 * numbered 0, 1, 2, ... in the order they are submitted (with {@code rw=write}, one sequential pass, write i is
 * block i of the region, and its sectors carry generation g + i, g being the first write's); a flush covers
 * the writes completed (every one of them, from 0 up) when it was submitted ({@link DurablePoint}). When a
 * flush completes OK and covers more than the last, the engine prints
 * <pre>
 *   blkbench: durable: writes 0..&lt;last&gt; flushed (flush &lt;k&gt;)
 * </pre>
 * ({@code <last>} the highest write number covered, {@code <k>} which flush, 1, 2, ... in submission order),
 * at most once every 100 ms of the job's clock ({@link #DURABLE_PRINT_INTERVAL_NS}), and once more at the end of
 * the job if the last one printed is not the latest. Each such line is a claim a check of the disk can hold
 * the job to after a crash of the backend or the host: those writes survive it. A failed write stops the
 * count there.
 *
 * <p>Threads: one vCPU, the one that runs the job.
 */
public final class BlkBenchEngine {
    /** Blocks whose last write this job remembers (4 bytes each); beyond, reads are checked for being whole only. */
    static final long MAX_TRACKED_BLOCKS = 4L << 20;
    static final int MAX_ERROR_SAMPLES = 5;
    /** The least time between two lines saying which writes are durable. */
    static final long DURABLE_PRINT_INTERVAL_NS = 100_000_000L;

    private final BlkBenchJob job;
    private final BlockDevice dev;
    private final LongSupplier clock;
    private final Consumer<String> console;
    private final ArrayDeque<BlockRequest> idle = new ArrayDeque<>();
    private final BlockRequest flush;
    private final long blocks;
    private final int[] generations;
    private final boolean[] busy;
    private final SplittableRandom random;
    private final RandomMap randomMap;
    private final byte[] scratch;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final List<String> errorSamples = new ArrayList<>();
    private final int sectorsPerBlock;
    /** Which writes are durable; null for a job that does not both write and flush. */
    private final DurablePoint durable;
    /** The number ({@link DurablePoint#issue}) of each write in flight. */
    private final Map<BlockRequest, Long> writeNumbers = new IdentityHashMap<>();
    private long durablePrinted;
    private long durablePrintedAtNs;
    private long nextSequential;
    private long issued;
    private int inFlight;
    private long writeGeneration;
    private long writesSinceFlush;
    private boolean flushInFlight;
    private long reads;
    private long writes;
    private long flushes;
    private long readBytes;
    private long writeBytes;
    private long ioErrors;
    private long verifyErrors;
    private long verifiedSectors;
    /** A random block that was busy when its turn came: it goes next. */
    private long pendingRandom = -1;
    /** Set during the read-back pass of a write-only verify job. */
    private boolean readBack;
    /** What the last {@link #prepare} chose, to take it back if the device does not take the request. */
    private long preparedBlock;
    private long generationBeforePrepare;

    /** An engine that prints nothing while it runs (see the other constructor). */
    public BlkBenchEngine(BlkBenchJob job, BlockDevice dev, List<GuestBuffer> buffers, LongSupplier clock) {
        this(job, dev, buffers, clock, line -> {});
    }

    /**
     * @param buffers one buffer per request slot, each at least the job's block size; as many as the
     *                job's iodepth (fewer if the device's queue is shorter)
     * @param console where lines the job prints while it runs go (the durable lines above)
     * @throws IllegalArgumentException if the disk is smaller than one block, or read-only for a job that writes
     */
    public BlkBenchEngine(BlkBenchJob job, BlockDevice dev, List<GuestBuffer> buffers, LongSupplier clock,
                          Consumer<String> console) {
        this.job = job;
        this.dev = dev;
        this.clock = clock;
        this.console = console;
        this.durable = job.rw().writes() && job.fsyncEvery() > 0 ? new DurablePoint() : null;
        long region = job.sizeBytes() == 0 ? dev.capacityBytes() : Math.min(job.sizeBytes(), dev.capacityBytes());
        this.blocks = region / job.blockSize();
        if (blocks == 0) {
            throw new IllegalArgumentException(dev.name() + " (" + dev.capacityBytes() + " bytes) is smaller than one "
                    + job.blockSize() + "-byte block");
        }
        if (job.rw().writes() && dev.readOnly()) {
            throw new IllegalArgumentException(dev.name() + " is read-only; rw=" + job.rw().text() + " writes");
        }
        for (GuestBuffer b : buffers) {
            idle.add(new BlockRequest(b));
        }
        this.flush = new BlockRequest(buffers.getFirst());
        this.generations = job.verify() && blocks <= MAX_TRACKED_BLOCKS ? new int[(int) blocks] : null;
        this.busy = job.verify() && blocks <= MAX_TRACKED_BLOCKS ? new boolean[(int) blocks] : null;
        this.random = new SplittableRandom(job.seed());
        this.randomMap = new RandomMap(blocks, random.split());
        this.scratch = new byte[job.blockSize()];
        this.sectorsPerBlock = job.blockSize() / VerifyPattern.SECTOR;
        // Generations differ from run to run, so that data an earlier run left is never taken for this one's.
        this.writeGeneration = (int) ((clock.getAsLong() ^ job.seed() * 0x9E3779B97F4A7C15L) & 0x3fff_ffff);
    }

    /** The number of request slots a job may use on {@code dev}. */
    public static int slots(BlkBenchJob job, BlockDevice dev) {
        return Math.max(1, Math.min(job.ioDepth(), dev.queueDepth() - (job.fsyncEvery() > 0 ? 1 : 0)));
    }

    /** Runs the job to its end and returns what it did. */
    public BlkBenchResult run(PerCpu cpu) {
        long start = clock.getAsLong();
        long deadline = job.runtimeNs() == 0 ? Long.MAX_VALUE : start + job.runtimeNs();
        loop(cpu, () -> job.runtimeNs() == 0 ? issued < blocks : clock.getAsLong() < deadline);
        if (job.verify() && job.rw().writes() && generations != null) {
            readBack = true;
            issued = 0;
            nextSequential = 0;
            loop(cpu, () -> nextWritten() >= 0);
        }
        if (durable != null && durable.durable() != durablePrinted) {
            printDurable(clock.getAsLong());
        }
        long elapsed = clock.getAsLong() - start;
        return new BlkBenchResult(job, dev.name(), elapsed, reads, writes, flushes, readBytes, writeBytes, latency,
                ioErrors, verifyErrors, verifiedSectors, List.copyOf(errorSamples));
    }

    private void loop(PerCpu cpu, java.util.function.BooleanSupplier more) {
        while (true) {
            boolean queued = false;
            while (!idle.isEmpty() && (durable == null || durable.canIssue()) && more.getAsBoolean()) {
                BlockRequest r = idle.peek();
                if (!prepare(r)) {
                    break;
                }
                r.submittedNs = clock.getAsLong();
                if (!dev.submit(r)) {
                    unprepare(r);
                    break;
                }
                if (durable != null && r.op() == BlockRequest.Op.WRITE) {
                    writeNumbers.put(r, durable.issue());
                }
                idle.poll();
                inFlight++;
                issued++;
                queued = true;
            }
            if (writesSinceFlush >= job.fsyncEvery() && job.fsyncEvery() > 0 && !flushInFlight) {
                flush.reset(BlockRequest.Op.FLUSH, 0, 0);
                flush.submittedNs = clock.getAsLong();
                if (dev.submit(flush)) {
                    if (durable != null) {
                        durable.flushSubmitted();
                    }
                    flushInFlight = true;
                    writesSinceFlush -= job.fsyncEvery();
                    queued = true;
                }
            }
            if (queued) {
                dev.kick(cpu);
            }
            if (inFlight == 0 && !flushInFlight) {
                return;
            }
            if (dev.reap(this::completed) == 0) {
                dev.awaitCompletion(cpu);
            }
        }
    }

    /** Chooses what {@code r} does next; false if no block is free to use now. */
    private boolean prepare(BlockRequest r) {
        long block;
        boolean read;
        if (readBack) {
            block = nextWritten();
            if (block < 0 || busy[(int) block]) {
                return false;
            }
            nextSequential = block + 1;
            read = true;
        } else {
            block = job.rw().random() ? pendingRandom >= 0 ? pendingRandom : randomMap.next() : nextSequential++ % blocks;
            if (busy != null && busy[(int) block]) {
                if (job.rw().random()) {
                    pendingRandom = block;   // the same block when something completes: the pass stays whole
                } else {
                    nextSequential--;
                }
                return false;
            }
            pendingRandom = -1;
            read = job.rw().reads() && (!job.rw().writes() || random.nextInt(100) < job.readPercent());
        }
        preparedBlock = block;
        generationBeforePrepare = writeGeneration;
        long offset = block * job.blockSize();
        if (read) {
            r.reset(BlockRequest.Op.READ, offset, job.blockSize());
        } else {
            r.reset(BlockRequest.Op.WRITE, offset, job.blockSize());
            writeGeneration = writeGeneration == Integer.MAX_VALUE ? 1 : writeGeneration + 1;
            long gen = writeGeneration;
            r.tag = gen;
            if (job.verify()) {
                VerifyPattern.fill(scratch, job.blockSize(), offset / VerifyPattern.SECTOR, gen);
                r.buffer().write(0, scratch, 0, job.blockSize());
            }
        }
        if (busy != null) {
            busy[(int) block] = true;
        }
        return true;
    }

    /** The next block at or after {@link #nextSequential} this job wrote, or -1. */
    private long nextWritten() {
        for (long b = nextSequential; b < blocks; b++) {
            if (generations[(int) b] != 0) {
                return b;
            }
        }
        return -1;
    }

    /** Takes back what {@link #prepare} chose for {@code r}, which the device did not take: it goes next. */
    private void unprepare(BlockRequest r) {
        release(r);
        if (readBack) {
            nextSequential = preparedBlock;
        } else if (job.rw().random()) {
            pendingRandom = preparedBlock;
        } else {
            nextSequential--;
        }
        writeGeneration = generationBeforePrepare;
    }

    private void release(BlockRequest r) {
        if (busy != null && r.op() != BlockRequest.Op.FLUSH) {
            busy[(int) (r.offset() / job.blockSize())] = false;
        }
    }

    private void completed(BlockRequest r) {
        long now = clock.getAsLong();
        latency.record(now - r.submittedNs);
        if (r == flush) {
            flushInFlight = false;
            flushes++;
            if (r.status() != BlockRequest.Status.OK) {
                error("flush: " + r.status());
                ioErrors++;
            }
            if (durable != null && durable.flushCompleted(r.status() == BlockRequest.Status.OK)
                    && (durablePrinted == 0 || now - durablePrintedAtNs >= DURABLE_PRINT_INTERVAL_NS)) {
                printDurable(now);
            }
            return;
        }
        inFlight--;
        release(r);
        idle.add(r);
        Long number = writeNumbers.remove(r);
        if (number != null) {
            durable.completed(number, r.status() == BlockRequest.Status.OK);
        }
        int block = (int) (r.offset() / job.blockSize());
        if (r.status() != BlockRequest.Status.OK) {
            ioErrors++;
            error(r.op() + " at " + r.offset() + ": " + r.status());
            return;
        }
        if (r.op() == BlockRequest.Op.WRITE) {
            writes++;
            writeBytes += r.length();
            writesSinceFlush++;
            if (generations != null) {
                generations[block] = (int) r.tag;
            }
            return;
        }
        reads++;
        readBytes += r.length();
        if (job.verify()) {
            verify(r, block);
        }
    }

    private void verify(BlockRequest r, int block) {
        long[] want = null;
        if (generations != null) {
            int gen = generations[block];
            if (gen == 0 && job.rw().writes()) {
                return;   // a block this job has not written: nothing known to check against
            }
            if (gen != 0) {
                want = new long[sectorsPerBlock];
                java.util.Arrays.fill(want, gen);
            }
        }
        r.buffer().read(0, scratch, 0, r.length());
        String bad = VerifyPattern.check(scratch, r.length(), r.offset() / VerifyPattern.SECTOR, want);
        if (bad != null) {
            verifyErrors++;
            error("verify: " + bad);
        } else {
            verifiedSectors += sectorsPerBlock;
        }
    }

    private void printDurable(long now) {
        console.accept("blkbench: durable: writes 0.." + (durable.durable() - 1) + " flushed (flush "
                + durable.durableFlush() + ")");
        durablePrinted = durable.durable();
        durablePrintedAtNs = now;
    }

    private void error(String what) {
        if (errorSamples.size() < MAX_ERROR_SAMPLES) {
            errorSamples.add(what);
        }
    }
}
