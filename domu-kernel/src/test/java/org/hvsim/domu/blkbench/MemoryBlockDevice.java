package org.hvsim.domu.blkbench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.hvsim.domu.blk.BlockDevice;
import org.hvsim.domu.blk.BlockRequest;
import org.hvsim.domu.cpu.PerCpu;

/**
 * A disk in a byte array for the workload's tests: requests complete when the workload waits, in an order
 * chosen at random, each taking {@link #serviceNs} on a manual clock; a write can be made to fail, or to
 * be lost (acknowledged, not stored), or held back while anything else is queued, or a sector to be corrupted
 * afterwards. It records which writes had completed when each flush was submitted.
 * Threads: one (the test's).
 */
final class MemoryBlockDevice implements BlockDevice {
    final byte[] disk;
    final List<BlockRequest> queued = new ArrayList<>();
    final List<BlockRequest> done = new ArrayList<>();
    final SplittableRandom random = new SplittableRandom(7);
    final int depth;
    final boolean readOnly;
    long now;
    long serviceNs = 10_000;
    long kicks;
    int maxInFlight;
    /** Fail the write at this offset once (-1: none). */
    long failWriteAt = -1;
    /** Acknowledge the writes at this offset without storing them (-1: none). */
    long loseWritesAt = -1;
    /** Complete the write at this offset only when nothing else is queued (-1: none). */
    long holdWriteAt = -1;
    /** The highest offset submitted while the held write was queued (-1: none). */
    long maxOffsetWhileHeld = -1;
    /** The sectors that start a write completed OK so far. */
    final BitSet completedWrites = new BitSet();
    /** For each flush submitted, in order: {@link #completedWrites} at that moment. */
    final List<BitSet> completedAtFlush = new ArrayList<>();
    int flushesCompleted;
    /** Refuse every n-th submission as if the queue were full (0: never). */
    int refuseEvery;
    private long submissions;

    MemoryBlockDevice(int bytes, int depth, boolean readOnly) {
        this.disk = new byte[bytes];
        this.depth = depth;
        this.readOnly = readOnly;
    }

    @Override
    public String name() {
        return "xvda";
    }

    @Override
    public long capacityBytes() {
        return disk.length;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public int queueDepth() {
        return depth;
    }

    @Override
    public boolean submit(BlockRequest r) {
        if (queued.size() >= depth || refuseEvery > 0 && ++submissions % refuseEvery == 0) {
            return false;
        }
        queued.add(r);
        if (r.op() == BlockRequest.Op.FLUSH) {
            completedAtFlush.add((BitSet) completedWrites.clone());
        }
        if (holdWriteAt >= 0 && queued.stream().anyMatch(q -> q.op() == BlockRequest.Op.WRITE
                && q.offset() == holdWriteAt)) {
            maxOffsetWhileHeld = Math.max(maxOffsetWhileHeld, r.offset());
        }
        maxInFlight = Math.max(maxInFlight, queued.size());
        return true;
    }

    @Override
    public void kick(PerCpu cpu) {
        kicks++;
    }

    @Override
    public int reap(Consumer<BlockRequest> sink) {
        int n = done.size();
        List<BlockRequest> out = List.copyOf(done);
        done.clear();
        out.forEach(sink);
        return n;
    }

    @Override
    public void awaitCompletion(PerCpu cpu) {
        if (queued.isEmpty()) {
            throw new AssertionError("waiting with nothing in flight");
        }
        int pick = random.nextInt(queued.size());
        if (queued.size() > 1 && queued.get(pick).op() == BlockRequest.Op.WRITE
                && queued.get(pick).offset() == holdWriteAt) {
            pick = (pick + 1) % queued.size();
        }
        BlockRequest r = queued.remove(pick);
        now += serviceNs;
        switch (r.op()) {
            case READ -> {
                r.buffer().write(0, disk, (int) r.offset(), r.length());
                r.complete(BlockRequest.Status.OK);
            }
            case WRITE -> {
                if (readOnly) {
                    r.complete(BlockRequest.Status.IOERR);
                } else if (r.offset() == failWriteAt) {
                    failWriteAt = -1;
                    r.complete(BlockRequest.Status.IOERR);
                } else {
                    if (r.offset() != loseWritesAt) {
                        r.buffer().read(0, disk, (int) r.offset(), r.length());
                    }
                    completedWrites.set((int) (r.offset() / 512));
                    r.complete(BlockRequest.Status.OK);
                }
            }
            case FLUSH -> {
                flushesCompleted++;
                r.complete(BlockRequest.Status.OK);
            }
        }
        done.add(r);
    }
}
