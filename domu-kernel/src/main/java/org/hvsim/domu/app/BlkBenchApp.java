package org.hvsim.domu.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.blkbench.BlkBenchEngine;
import org.hvsim.domu.blkbench.BlkBenchJob;
import org.hvsim.domu.blkbench.BlkBenchResult;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.domu.mm.OutOfFramesException;
import org.hvsim.domu.virtioblk.DeviceUnavailableException;
import org.hvsim.domu.virtioblk.VbdBus;
import org.hvsim.domu.virtioblk.VirtioBlkFront;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.ShutdownReason;

/**
 * {@code blkbench rw=... bs=... iodepth=... size=... runtime=... dev=... [verify=crc32c] [fsync=N] [rwmixread=P]
 * [seed=S]}: an fio-style workload on a virtual block device ({@link BlkBenchJob}). It waits (at most
 * {@value #CONNECT_TIMEOUT_S} s) for the device {@code dev=} names to connect, allocates one buffer of {@code bs}
 * bytes per request slot from the kernel's frames, runs the job ({@link BlkBenchEngine}, which prints which
 * writes are durable as it goes when it writes with {@code fsync=}), prints the summary
 * lines and publishes the result's JSON line ({@link Kernel#publishResult}); then it returns and the domain
 * powers off. A device that never shows up or connects, or a job the device cannot take (larger blocks than the
 * disk, writes to a read-only disk, buffers beyond the domain's memory), is reported on the console and the
 * domain crashes, as for a bad command line.
 */
final class BlkBenchApp implements App {
    static final long CONNECT_TIMEOUT_S = 30;

    private final BlkBenchJob job;

    BlkBenchApp(CommandLine cl) {
        this.job = BlkBenchJob.from(cl);
    }

    BlkBenchJob job() {
        return job;
    }

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        Optional<VbdBus> bus = kernel.vbds();
        if (bus.isEmpty()) {
            fail(kernel, cpu, "this domain has no xenstore ring, so no block devices");
            return;
        }
        Optional<VirtioBlkFront> probed = bus.get().find(job.device());
        if (probed.isEmpty() || !probed.get().connected()) {
            kernel.println(cpu, "blkbench: waiting up to " + CONNECT_TIMEOUT_S + " s for " + job.device()
                    + " to connect");
        }
        VirtioBlkFront dev;
        try {
            dev = bus.get().awaitConnected(cpu, job.device(), CONNECT_TIMEOUT_S);
        } catch (DeviceUnavailableException e) {
            fail(kernel, cpu, e.getMessage());
            return;
        }
        List<GuestBuffer> buffers = new ArrayList<>();
        BlkBenchEngine engine;
        try {
            int slots = BlkBenchEngine.slots(job, dev);
            for (int s = 0; s < slots; s++) {
                GuestBuffer b = GuestBuffer.allocate(cpu.memory(), job.blockSize(),
                        () -> kernel.frames().allocateZeroed(cpu.memory()));
                dev.prepare(cpu, b);
                buffers.add(b);
            }
            engine = new BlkBenchEngine(job, dev, buffers, cpu::now, line -> kernel.println(cpu, line));
        } catch (OutOfFramesException e) {
            fail(kernel, cpu, "not enough memory for " + job.ioDepth() + " buffers of " + job.blockSize()
                    + " bytes: " + e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            fail(kernel, cpu, e.getMessage());
            return;
        }
        kernel.println(cpu, "blkbench: " + job.rw().text() + " bs=" + job.blockSize() + " iodepth=" + buffers.size()
                + " on " + dev.name() + " (" + dev.capacityBytes() + " bytes" + (dev.readOnly() ? ", read-only" : "")
                + ")" + (job.verify() ? " verify=crc32c" : "") + (job.fsyncEvery() > 0 ? " fsync="
                + job.fsyncEvery() : ""));
        BlkBenchResult result = engine.run(cpu);
        for (String line : result.summary()) {
            kernel.println(cpu, line);
        }
        kernel.publishResult(cpu, result.json());
    }

    private static void fail(Kernel kernel, PerCpu cpu, String why) {
        kernel.println(cpu, "blkbench: " + why);
        kernel.shutdown(cpu, ShutdownReason.CRASH);
    }
}
