package org.hvsim.domu.xenbus;

import java.util.concurrent.atomic.AtomicInteger;
import org.hvsim.domu.cpu.PerCpu;

/**
 * A sleeping mutex between vCPUs (Linux's {@code xb_write_mutex}): a vCPU that finds it taken blocks in
 * {@code SCHEDOP_block} instead of spinning, and the holder wakes the waiters when it lets go. It may be held
 * across hypercalls and blocking, so it is never taken in an event handler, and a vCPU never takes it twice.
 *
 * <p>Threads: any vCPU at task level.
 */
final class BlockingMutex {
    private static final int FREE = -1;

    private final VcpuWaits waits;
    private final AtomicInteger owner = new AtomicInteger(FREE);

    BlockingMutex(VcpuWaits waits) {
        this.waits = waits;
    }

    void lock(PerCpu cpu) {
        if (owner.get() == cpu.id()) {
            throw new IllegalStateException("vCPU " + cpu.id() + " already holds the xenbus write mutex");
        }
        waits.await(cpu, () -> owner.compareAndSet(FREE, cpu.id()));
    }

    void unlock(PerCpu cpu) {
        if (!owner.compareAndSet(cpu.id(), FREE)) {
            throw new IllegalStateException("vCPU " + cpu.id() + " does not hold the xenbus write mutex");
        }
        waits.wakeOthers(cpu);
    }
}
