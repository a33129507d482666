package org.hvsim.domu.xenbus;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.hvsim.domu.cpu.PerCpu;

/**
 * Blocking until a condition holds, for vCPUs waiting on xenbus progress (a reply, ring space, the write
 * mutex, a watch callback to finish). A waiter publishes itself in a bitmap, re-checks its condition and only
 * then blocks; whoever makes progress publishes it first and then wakes every vCPU in the bitmap but its own.
 * So either the waiter sees the progress or the waker sees the waiter, and nothing is lost: between the last
 * check and {@code SCHEDOP_block} there is no hypercall, so no upcall can take the event meant to end the
 * block. A vCPU's own upcalls need no IPI: the event that carries the progress ends its block.
 *
 * <p>Threads: any vCPU; the bitmap is atomic. Conditions run on the waiting vCPU.
 */
final class VcpuWaits {
    private final XenbusSignals signals;
    private final AtomicLong waiting = new AtomicLong();

    VcpuWaits(XenbusSignals signals) {
        this.signals = signals;
    }

    /** Blocks {@code cpu} until {@code ready} holds; {@code ready} may throw to end the wait. Task level only. */
    void await(PerCpu cpu, BooleanSupplier ready) {
        cpu.requireTaskLevel("waiting for xenstored");
        long bit = 1L << cpu.id();
        while (!ready.getAsBoolean()) {
            waiting.getAndUpdate(b -> b | bit);
            try {
                if (ready.getAsBoolean()) {
                    return;
                }
                signals.block(cpu);
            } finally {
                waiting.getAndUpdate(b -> b & ~bit);
            }
        }
    }

    /** Wakes every waiting vCPU but {@code cpu}, after the caller published its progress. */
    void wakeOthers(PerCpu cpu) {
        long others = waiting.get() & ~(1L << cpu.id());
        while (others != 0) {
            int vcpu = Long.numberOfTrailingZeros(others);
            others &= others - 1;
            signals.wake(cpu, vcpu);
        }
    }

    /** Whether any vCPU is waiting (for tests and counters). */
    boolean anyWaiting() {
        return waiting.get() != 0;
    }
}
