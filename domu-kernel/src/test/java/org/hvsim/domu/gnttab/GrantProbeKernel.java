package org.hvsim.domu.gnttab;

import java.nio.charset.StandardCharsets;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.ShutdownReason;

/**
 * A test kernel for the grant driver: writes a message into a fresh page, grants dom0 write access to it,
 * says which ref on the console, waits for dom0's reply in the page (its length, released last, at
 * {@link #REPLY}, the text 8 bytes on), then ends the grant (reporting once
 * that it is busy while dom0 still has it mapped) and powers off.
 */
public final class GrantProbeKernel implements GuestKernel {
    static final String MESSAGE = "hello from the guest";
    static final int REPLY = 512;
    private static final long POLL_NS = 200_000;

    @Override
    public void boot(GuestCpu guest, long startInfoAddress) {
        Kernel k = Kernel.start(guest, startInfoAddress);
        PerCpu cpu = k.cpus().get(guest.vcpuId());
        GuestMemory m = guest.memory();
        long gfn = k.frames().allocateZeroed(m);
        long page = Page.addressOf(gfn);
        m.write(page, MESSAGE.getBytes(StandardCharsets.US_ASCII));
        int ref = k.grants().grantAccess(cpu, DomId.DOM0, gfn, false);
        k.println(cpu, "grant: ref " + ref + " gfn " + gfn + " frames " + k.grants().nrFrames() + ".");
        int len;
        while ((len = m.getIntAcquire(page + REPLY)) == 0) {
            k.sleep(cpu, POLL_NS);
        }
        byte[] reply = m.readBytes(page + REPLY + 8, Math.min(len, 64));
        boolean saidBusy = false;
        while (!k.grants().endAccess(ref)) {
            if (!saidBusy) {
                k.println(cpu, "grant: busy, flags " + k.grants().flags(ref));
                saidBusy = true;
            }
            k.sleep(cpu, POLL_NS);
        }
        k.println(cpu, "grant: ended ref " + ref + ", flags " + k.grants().flags(ref) + ", reply "
                + new String(reply, StandardCharsets.US_ASCII));
        k.shutdown(cpu, ShutdownReason.POWEROFF);
    }
}
