package org.hvsim.domu.blkbench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.hvsim.domu.blk.BlockDevice;
import org.hvsim.domu.blk.BlockRequest;
import org.hvsim.domu.cpu.PerCpu;

/**
 * A disk in a byte array for the workload's tests: requests complete when the workload waits, in an order
 * chosen at random, each taking {@link #serviceNs} on a manual clock; a write can be made to fail, or to
 * be lost (acknowledged, not stored), or a sector to be corrupted afterwards.
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
        if (queued.size() >= depth) {
            return false;
        }
        queued.add(r);
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
        BlockRequest r = queued.remove(random.nextInt(queued.size()));
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
                    r.complete(BlockRequest.Status.OK);
                }
            }
            case FLUSH -> r.complete(BlockRequest.Status.OK);
        }
        done.add(r);
    }
}
