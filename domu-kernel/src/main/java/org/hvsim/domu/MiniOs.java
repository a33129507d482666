package org.hvsim.domu;

import org.hvsim.domu.app.App;
import org.hvsim.domu.app.Apps;
import org.hvsim.domu.boot.Banner;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cmdline.CommandLineException;
import org.hvsim.domu.cpu.CpuTable;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.SchedOp;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.VcpuOp;

/**
 * hvsim's paravirtualized guest kernel, in the spirit of Xen's Mini-OS. vCPU 0 boots the kernel from
 * start_info ({@link Kernel#start}), prints the banner, starts the shutdown watcher when the domain has a
 * xenstore ring ({@link Kernel#startXenbus}), picks the app its command line names and runs it;
 * when the app returns the domain powers off. Secondary vCPUs (started by the toolstack, perhaps before
 * vCPU 0 has finished) wait for the kernel, come up themselves, wait (blocked) for the app, run its
 * secondary part, then idle.
 *
 * <p>Threads: one instance per domain, entered by every vCPU's thread. The kernel and then the app are
 * published through volatile fields. Until the kernel exists a secondary vCPU has no memory of its own
 * to make blocking hypercalls with, so it yields; once it is up it blocks, and vCPU 0 wakes it with an
 * IPI when it publishes the app.
 */
public final class MiniOs implements GuestKernel {
    private volatile Kernel kernel;
    private volatile App app;

    /** The constructor {@link java.util.ServiceLoader} calls, once per domain. */
    public MiniOs() {}

    @Override
    public void boot(GuestCpu guest, long startInfoAddress) {
        Kernel k = Kernel.start(guest, startInfoAddress);
        kernel = k;
        PerCpu cpu = k.cpus().get(guest.vcpuId());
        String cmdLine = k.bootInfo().cmdLine();
        k.println(cpu, Banner.booting(k.vcpusUpAtBoot(), k.bootInfo().nrPages(), cmdLine));
        k.println(cpu, Banner.layout(k.bootInfo(), k.frames().freeFrames(), cpu.hypercalls().xenVersion()));
        k.startXenbus(cpu);
        String name;
        App a;
        try {
            CommandLine cl = CommandLine.parse(cmdLine);
            name = cl.app();
            Apps.Spec spec = Apps.find(name).orElse(null);
            if (spec == null) {
                k.println(cpu, "minios: unknown app \"" + name + "\"; this kernel has "
                        + String.join(", ", Apps.names()));
                k.shutdown(cpu, ShutdownReason.CRASH);
                return;
            }
            for (String key : cl.unknownParams(spec.parameters())) {
                k.println(cpu, "minios: app " + name + " ignores parameter " + key + "=" + cl.params().get(key));
            }
            a = spec.factory().apply(cl);
        } catch (CommandLineException e) {
            k.println(cpu, "minios: bad command line: " + e.getMessage());
            k.shutdown(cpu, ShutdownReason.CRASH);
            return;
        }
        app = a;
        k.wakeOthers(cpu);
        k.println(cpu, "minios: running app " + name);
        a.run(k, cpu);
        k.println(cpu, "minios: app " + name + " finished; powering off");
        k.shutdown(cpu, ShutdownReason.POWEROFF);
    }

    @Override
    public void startSecondary(GuestCpu guest, long argument) {
        if (!CpuTable.supports(guest.vcpuId())) {
            // No vcpu_info in shared_info, so it could never take an event: keep it offline.
            while (true) {
                guest.hypercall(HypercallNr.VCPU_OP, VcpuOp.DOWN, guest.vcpuId(), 0);
            }
        }
        Kernel k;
        while ((k = kernel) == null) {
            guest.hypercall(HypercallNr.SCHED_OP, SchedOp.YIELD, 0);
        }
        PerCpu cpu = k.attachSecondary(guest);
        App a;
        while ((a = app) == null) {
            k.waitForEvent(cpu);
        }
        a.runSecondary(k, cpu);
        k.idle(cpu);
    }
}
