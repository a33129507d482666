package org.hvsim.tools.hvsim.bench;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.proto.control.DestroyDomainRequest;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.tools.client.ControlPlane;

/**
 * The guest side of the block benchmark: a fresh single-vCPU guest runs one {@code blkbench} job on one disk
 * (created as {@code xl create} would, with {@code on_poweroff="preserve"}), publishes its result and powers
 * off; the result is read with {@code GetWorkloadResult} and the guest destroyed. Threads: the caller's.
 */
public final class BlkBench {
    /** A benchmark guest's memory, MiB: room for 32 requests of 1 MiB besides the kernel. */
    static final int MEMORY_MIB = 64;
    /** How long past its runtime a job may take to report (boot, connecting the disk, finishing). */
    private static final long GRACE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ControlPlane control;
    private int guests;

    public BlkBench(ControlPlane control) {
        this.control = control;
    }

    /**
     * Runs {@code job} ({@code blkbench}'s parameters, e.g. {@code rw=randread bs=4k iodepth=32}) for
     * {@code seconds} on a disk of {@code target} ({@code xl.cfg}'s target: an image path or
     * {@code null:<size>}); its result.
     */
    public GuestBlkResult run(String job, String target, int seconds) throws IOException {
        String name = "blkbench-" + (++guests);
        String cmdline = "app=blkbench " + job + " runtime=" + seconds + " dev=xvda";
        control.domains().withDeadlineAfter(60, TimeUnit.SECONDS).createDomain(CreateDomainRequest.newBuilder()
                .setConfig(BenchDomains.blockBench(name, MEMORY_MIB, cmdline, target)).build());
        try {
            return GuestBlkResult.parse(awaitResult(name, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
                    + GRACE_NS));
        } finally {
            control.domains().withDeadlineAfter(60, TimeUnit.SECONDS)
                    .destroyDomain(DestroyDomainRequest.newBuilder().setDomain(name).build());
        }
    }

    private String awaitResult(String name, long deadline) throws IOException {
        DomainRef ref = DomainRef.newBuilder().setDomain(name).build();
        while (true) {
            try {
                return control.domains().withDeadlineAfter(10, TimeUnit.SECONDS).getWorkloadResult(ref).getJson();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("guest " + name + " left no blkbench result in time (see its console log)");
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }
}
