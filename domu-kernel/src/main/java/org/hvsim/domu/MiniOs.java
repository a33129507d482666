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
 * start_info ({@link Kernel#start}), prints the banner, picks the app its command line names and runs it;
 * when the app returns the domain powers off. Secondary vCPUs (started by the toolstack, perhaps before
 * vCPU 0 has finished) wait for the kernel to be up, come up themselves and run the app's secondary part,
 * then idle.
 *
 * <p>Threads: one instance per domain, entered by every vCPU's thread. The booted kernel and the app
 * are published together through one volatile field.
 */
public final class MiniOs implements GuestKernel {
    /** The kernel and its app, once vCPU 0 has both. */
    private record Running(Kernel kernel, App app) {}

    private volatile Running running;

    /** The constructor {@link java.util.ServiceLoader} calls, once per domain. */
    public MiniOs() {}

    @Override
    public void boot(GuestCpu guest, long startInfoAddress) {
        Kernel kernel = Kernel.start(guest, startInfoAddress);
        PerCpu cpu = kernel.cpus().get(guest.vcpuId());
        String cmdLine = kernel.bootInfo().cmdLine();
        kernel.println(cpu, Banner.booting(kernel.vcpusUpAtBoot(), kernel.bootInfo().nrPages(), cmdLine));
        kernel.println(cpu, Banner.layout(kernel.bootInfo(), kernel.frames().freeFrames(), cpu.hypercalls().xenVersion()));
        String name;
        App app;
        try {
            CommandLine cl = CommandLine.parse(cmdLine);
            name = cl.app();
            Apps.Spec spec = Apps.find(name).orElse(null);
            if (spec == null) {
                kernel.println(cpu, "minios: unknown app \"" + name + "\"; this kernel has " + String.join(", ", Apps.names()));
                kernel.shutdown(cpu, ShutdownReason.CRASH);
                return;
            }
            for (String key : cl.unknownParams(spec.parameters())) {
                kernel.println(cpu, "minios: app " + name + " ignores parameter " + key + "=" + cl.params().get(key));
            }
            app = spec.factory().apply(cl);
        } catch (CommandLineException e) {
            kernel.println(cpu, "minios: bad command line: " + e.getMessage());
            kernel.shutdown(cpu, ShutdownReason.CRASH);
            return;
        }
        running = new Running(kernel, app);
        kernel.println(cpu, "minios: running app " + name);
        app.run(kernel, cpu);
        kernel.println(cpu, "minios: app " + name + " finished; powering off");
        kernel.shutdown(cpu, ShutdownReason.POWEROFF);
    }

    @Override
    public void startSecondary(GuestCpu guest, long argument) {
        if (!CpuTable.supports(guest.vcpuId())) {
            // No vcpu_info in shared_info, so it could never take an event: keep it offline.
            while (true) {
                guest.hypercall(HypercallNr.VCPU_OP, VcpuOp.DOWN, guest.vcpuId(), 0);
            }
        }
        Running r;
        while ((r = running) == null) {
            guest.hypercall(HypercallNr.SCHED_OP, SchedOp.YIELD, 0);
        }
        PerCpu cpu = r.kernel().attachSecondary(guest);
        r.app().runSecondary(r.kernel(), cpu);
        r.kernel().idle(cpu);
    }
}
