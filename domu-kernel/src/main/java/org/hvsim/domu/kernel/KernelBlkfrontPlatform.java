package org.hvsim.domu.kernel;

import java.util.function.BooleanSupplier;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.EventHandler;
import org.hvsim.domu.virtioblk.BlkfrontPlatform;
import org.hvsim.hv.abi.GuestMemory;

/**
 * The kernel's side of {@link BlkfrontPlatform}: its frame allocator, grant table, event channels, IPIs,
 * {@link Kernel#waitForEvent(PerCpu, BooleanSupplier, long)} and console.
 *
 * <p>Threads: any vCPU (the parts are thread-safe).
 */
final class KernelBlkfrontPlatform implements BlkfrontPlatform {
    private final Kernel kernel;
    private final GuestMemory memory;

    KernelBlkfrontPlatform(Kernel kernel, GuestMemory memory) {
        this.kernel = kernel;
        this.memory = memory;
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public long allocateZeroedFrame(PerCpu cpu) {
        return kernel.frames().allocateZeroed(cpu.memory());
    }

    @Override
    public void freeFrame(long gfn) {
        kernel.frames().free(gfn);
    }

    @Override
    public int grantAccess(PerCpu cpu, int domid, long gfn, boolean readonly) {
        return kernel.grants().grantAccess(cpu, domid, gfn, readonly);
    }

    @Override
    public boolean endAccess(int ref) {
        return kernel.grants().endAccess(ref);
    }

    @Override
    public int allocUnbound(PerCpu cpu, int remoteDom, EventHandler handler) {
        return kernel.channels().allocUnbound(cpu, remoteDom, handler);
    }

    @Override
    public void notify(PerCpu cpu, int port) {
        kernel.channels().send(cpu, port);
    }

    @Override
    public void closePort(PerCpu cpu, int port) {
        kernel.channels().close(cpu, port);
    }

    @Override
    public void wake(PerCpu from, int vcpu) {
        kernel.ipis().send(from, vcpu);
    }

    @Override
    public void waitForEvent(PerCpu cpu, BooleanSupplier ready, long deadline) {
        kernel.waitForEvent(cpu, ready, deadline);
    }

    @Override
    public void report(PerCpu cpu, String line) {
        kernel.println(cpu, line);
    }
}
