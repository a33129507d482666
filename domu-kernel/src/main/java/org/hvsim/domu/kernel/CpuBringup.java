package org.hvsim.domu.kernel;

import org.hvsim.domu.cpu.CpuTable;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.Ipis;
import org.hvsim.domu.event.UpcallHandler;
import org.hvsim.domu.mm.FrameAllocator;
import org.hvsim.domu.time.Timers;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.Page;

/**
 * Brings one vCPU into the kernel, on that vCPU: a zeroed scratch frame, its {@link PerCpu}, the event
 * callback, and its own {@code VIRQ_TIMER} and IPI ports. Upcalls stay masked; the caller enables them when the vCPU
 * is ready to take events.
 *
 * <p>Threads: any vCPU, each for itself (what it shares is thread-safe).
 */
final class CpuBringup {
    private final long sharedInfo;
    private final FrameAllocator frames;
    private final CpuTable cpus;
    private final UpcallHandler upcalls;
    private final Timers timers;
    private final Ipis ipis;

    CpuBringup(long sharedInfo, FrameAllocator frames, CpuTable cpus, UpcallHandler upcalls, Timers timers, Ipis ipis) {
        this.sharedInfo = sharedInfo;
        this.frames = frames;
        this.cpus = cpus;
        this.upcalls = upcalls;
        this.timers = timers;
        this.ipis = ipis;
    }

    PerCpu attach(GuestCpu cpu) {
        if (!CpuTable.supports(cpu.vcpuId())) {
            throw new IllegalArgumentException("vCPU " + cpu.vcpuId() + " has no vcpu_info in shared_info");
        }
        long scratch = frames.allocateZeroed(cpu.memory());
        PerCpu pc = new PerCpu(cpu, Page.addressOf(scratch), sharedInfo);
        cpus.add(pc);
        cpu.registerEventCallback(upcalls);
        timers.bind(pc);
        ipis.bind(pc);
        return pc;
    }
}
