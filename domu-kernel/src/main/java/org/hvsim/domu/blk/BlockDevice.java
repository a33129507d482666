package org.hvsim.domu.blk;

import java.util.function.Consumer;
import org.hvsim.domu.cpu.PerCpu;

/**
 * A block device as the kernel's workloads drive it: requests are queued without waiting, the device is
 * told of a batch with {@link #kick}, completions are collected with {@link #reap}, and a vCPU with
 * nothing else to do waits for the next one with {@link #awaitCompletion}.
 *
 * <p>Threads: one vCPU drives a device at a time (the one running the workload).
 */
public interface BlockDevice {
    /** Its name as the guest knows it (xvda, ...). */
    String name();

    /** Capacity in bytes (a multiple of 512). */
    long capacityBytes();

    boolean readOnly();

    /** Requests that may be in flight at once. */
    int queueDepth();

    /**
     * Readies {@code buffer} for this device's requests before the first of them: a device that hands pages to
     * another domain (a virtio-blk frontend grants them) does it now, once. By default nothing.
     */
    default void prepare(PerCpu cpu, GuestBuffer buffer) {}

    /** Queues {@code r}; false (and nothing queued) when {@link #queueDepth} requests are in flight. */
    boolean submit(BlockRequest r);

    /** Tells the device of the requests queued since the last kick (it may not need telling). */
    void kick(PerCpu cpu);

    /** Hands every request completed since the last call to {@code done}; returns how many. */
    int reap(Consumer<BlockRequest> done);

    /** Waits (blocked) until a completion may have arrived; returns at once if one has. */
    void awaitCompletion(PerCpu cpu);
}
