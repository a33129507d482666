package org.hvsim.domu.time;

import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.ShutdownReason;

/** A test kernel: boots, prints, sleeps the nanoseconds its command line names, reports, powers off. */
public final class SleepProbeKernel implements GuestKernel {
    @Override
    public void boot(GuestCpu guest, long startInfoAddress) {
        Kernel k = Kernel.start(guest, startInfoAddress);
        PerCpu cpu = k.cpus().get(guest.vcpuId());
        long ns = Long.parseLong(k.bootInfo().cmdLine().strip());
        k.println(cpu, "sleep: going to sleep");
        long before = cpu.now();
        k.sleep(cpu, ns);
        long slept = cpu.now() - before;
        k.println(cpu, "sleep: asked " + ns + " slept " + slept + " timer events " + k.timers().ticks(cpu.id()) + ".");
        k.shutdown(cpu, ShutdownReason.POWEROFF);
    }
}
