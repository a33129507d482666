package org.hvsim.domu.event;

import java.util.concurrent.atomic.AtomicInteger;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.ShutdownReason;

/**
 * A test kernel for the event channel helpers: allocates an unbound port for dom0, waits for dom0 to
 * bind it and send, answers, closes the port, and powers off.
 */
public final class EventProbeKernel implements GuestKernel {
    @Override
    public void boot(GuestCpu guest, long startInfoAddress) {
        Kernel k = Kernel.start(guest, startInfoAddress);
        PerCpu cpu = k.cpus().get(guest.vcpuId());
        AtomicInteger fired = new AtomicInteger();
        int port = k.channels().allocUnbound(cpu, DomId.DOM0, (c, p) -> fired.incrementAndGet());
        k.println(cpu, "probe: port " + port + ".");
        while (fired.get() == 0) {
            k.waitForEvent(cpu);
        }
        k.println(cpu, "probe: " + fired.get() + " event(s) on port " + port);
        k.channels().send(cpu, port);
        k.channels().close(cpu, port);
        k.println(cpu, "probe: closed, " + k.channels().spurious() + " spurious");
        k.shutdown(cpu, ShutdownReason.POWEROFF);
    }
}
