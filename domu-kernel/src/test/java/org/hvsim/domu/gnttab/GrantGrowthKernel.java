package org.hvsim.domu.gnttab;

import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.ShutdownReason;

/**
 * A test kernel for the grant driver's free list: fills the first frame's refs, grows into a second,
 * ends and reuses a ref, then grants until the table cannot grow and reports what it got.
 */
public final class GrantGrowthKernel implements GuestKernel {
    @Override
    public void boot(GuestCpu guest, long startInfoAddress) {
        Kernel k = Kernel.start(guest, startInfoAddress);
        PerCpu cpu = k.cpus().get(guest.vcpuId());
        GrantTable g = k.grants();
        int first = g.grantAccess(cpu, DomId.DOM0, 10, true);
        int last = first;
        for (int i = 1; i < 504; i++) {
            last = g.grantAccess(cpu, DomId.DOM0, 10, true);
        }
        k.println(cpu, "growth: first " + first + " last " + last + " frames " + g.nrFrames() + " free " + g.freeRefs());
        int next = g.grantAccess(cpu, DomId.DOM0, 10, true);
        k.println(cpu, "growth: next " + next + " frames " + g.nrFrames());
        boolean ended = g.endAccess(100);
        int flagsAfterEnd = g.flags(100);
        int again = g.grantAccess(cpu, DomId.DOM0, 11, false);
        k.println(cpu, "growth: ended 100 " + ended + " flags " + flagsAfterEnd + ", then got " + again
                + " flags " + g.flags(again));
        int granted = 0;
        try {
            while (true) {
                g.grantAccess(cpu, DomId.DOM0, 10, true);
                granted++;
            }
        } catch (GrantTableException e) {
            k.println(cpu, "growth: " + granted + " more, " + g.nrFrames() + " frames, then " + e.getMessage());
        }
        k.shutdown(cpu, ShutdownReason.POWEROFF);
    }
}
