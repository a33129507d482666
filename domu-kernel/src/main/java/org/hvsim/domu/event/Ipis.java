package org.hvsim.domu.event;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.hvsim.domu.cpu.CpuTable;
import org.hvsim.domu.cpu.PerCpu;

/**
 * Inter-processor interrupts: each vCPU binds an IPI port to itself ({@code EVTCHNOP_bind_ipi}); any vCPU
 * sends on it to end that vCPU's {@code SCHEDOP_block}, after publishing whatever the target is to
 * re-check. A vCPU publishes its port before it checks for work, and a sender publishes the work before
 * it reads the port, so either the target sees the work or the sender sees the port.
 *
 * <p>Threads: any vCPU (atomic arrays).
 */
public final class Ipis {
    private final EventChannels channels;
    private final AtomicIntegerArray ports = new AtomicIntegerArray(CpuTable.MAX_VCPUS);
    private final AtomicLongArray received = new AtomicLongArray(CpuTable.MAX_VCPUS);

    public Ipis(EventChannels channels) {
        this.channels = channels;
    }

    /** Binds {@code cpu}'s IPI port; on that vCPU, once. */
    public void bind(PerCpu cpu) {
        int port = channels.bindIpi(cpu, cpu.id(), (c, p) -> received.incrementAndGet(c.id()));
        ports.set(cpu.id(), port);
    }

    /** Sends an IPI to vCPU {@code target}; returns false if it has not bound its port yet. */
    public boolean send(PerCpu from, int target) {
        int port = CpuTable.supports(target) ? ports.get(target) : 0;
        if (port == 0) {
            return false;
        }
        channels.send(from, port);
        return true;
    }

    /** Sends an IPI to every vCPU that has bound its port, except {@code from}. */
    public void sendToOthers(PerCpu from) {
        for (int v = 0; v < CpuTable.MAX_VCPUS; v++) {
            if (v != from.id()) {
                send(from, v);
            }
        }
    }

    /** IPIs vCPU {@code vcpu} has taken. */
    public long received(int vcpu) {
        return received.get(vcpu);
    }
}
