package org.hvsim.domu.event;

import org.hvsim.domu.cpu.CpuTable;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.hv.abi.EventCallback;
import org.hvsim.hv.abi.GuestCpu;

/**
 * The kernel's {@code hypervisor_callback}, registered on every vCPU: one pass of the 2-level scan
 * ({@link org.hvsim.hv.abi.evtchn.TwoLevelEventScan}) for the interrupted vCPU, each pending unmasked
 * port dispatched to its handler, with the vCPU marked as being in an upcall meanwhile.
 *
 * <p>Threads: every vCPU's thread, each for itself (the upcall runs on the vCPU it interrupts).
 */
public final class UpcallHandler implements EventCallback {
    private final CpuTable cpus;
    private final EventChannels channels;

    public UpcallHandler(CpuTable cpus, EventChannels channels) {
        this.cpus = cpus;
        this.channels = channels;
    }

    @Override
    public void upcall(GuestCpu guest) {
        PerCpu cpu = cpus.get(guest.vcpuId());
        if (cpu == null) {
            throw new IllegalStateException("upcall on vCPU " + guest.vcpuId() + " before it came up");
        }
        cpu.enterUpcall();
        try {
            cpu.events().scan(cpu.id(), port -> channels.dispatch(cpu, port));
        } finally {
            cpu.leaveUpcall();
        }
    }
}
