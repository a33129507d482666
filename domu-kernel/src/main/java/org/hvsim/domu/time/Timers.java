package org.hvsim.domu.time;

import java.util.concurrent.atomic.AtomicLongArray;
import org.hvsim.domu.cpu.CpuTable;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.EventChannels;
import org.hvsim.hv.abi.Virq;

/**
 * Kernel timers: each vCPU binds its own {@code VIRQ_TIMER}, and {@link #sleepUntil} blocks on it
 * (Mini-OS's {@code block_domain}: upcalls masked, {@code set_timer_op(deadline)}, then {@code SCHEDOP_block},
 * which unmasks them as it blocks, so a timer that fires in between stays pending and ends the block at once
 * instead of being taken before it and lost; re-checked after every wake-up because any event ends a block).
 *
 * <p>Threads: any vCPU, each for itself; the tick counters are atomic.
 */
public final class Timers {
    private final EventChannels channels;
    private final AtomicLongArray ticks = new AtomicLongArray(CpuTable.MAX_VCPUS);

    public Timers(EventChannels channels) {
        this.channels = channels;
    }

    /** Binds {@code VIRQ_TIMER} of {@code cpu} to it; returns the port. Once per vCPU, on that vCPU. */
    public int bind(PerCpu cpu) {
        return channels.bindVirq(cpu, Virq.TIMER, cpu.id(), (c, port) -> ticks.incrementAndGet(c.id()));
    }

    /** Blocks {@code cpu} until system time reaches {@code deadline}, handling events meanwhile. */
    public void sleepUntil(PerCpu cpu, long deadline) {
        cpu.requireTaskLevel("sleep");
        while (cpu.now() < deadline) {
            cpu.disableUpcalls();
            cpu.hypercalls().setTimer(deadline);
            cpu.hypercalls().block();
        }
    }

    /** Blocks {@code cpu} for {@code ns} nanoseconds of system time. */
    public void sleep(PerCpu cpu, long ns) {
        sleepUntil(cpu, cpu.now() + Math.max(0, ns));
    }

    /** How many timer events vCPU {@code vcpu} has taken. */
    public long ticks(int vcpu) {
        return ticks.get(vcpu);
    }
}
