package org.hvsim.hv.domain;

import java.nio.file.Path;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.KernelImage;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;
import org.hvsim.hv.kernel.KernelLoadException;

/**
 * The body of a vCPU's thread: loads the kernel named by the image in guest memory (vCPU 0) and runs
 * its entry point; turns a kernel that returns, faults or throws into a domain crash, and lets a halted
 * vCPU unwind quietly. Runs on the vCPU's own thread.
 */
final class VcpuRunner {
    private VcpuRunner() {}

    static void run(Vcpu vcpu) {
        Domain d = vcpu.domain();
        GuestCpuView cpu = new GuestCpuView(vcpu);
        try {
            VcpuGuestContext ctx = vcpu.context();
            if (ctx.entry() == VcpuGuestContext.ENTRY_BOOT) {
                GuestKernel kernel = load(d, ctx.argument());
                d.setKernel(kernel);
                kernel.boot(cpu, ctx.argument());
            } else if (ctx.entry() == VcpuGuestContext.ENTRY_SECONDARY && d.kernel() != null) {
                d.kernel().startSecondary(cpu, ctx.argument());
            } else {
                d.crash(vcpu + ": bad vCPU context entry " + ctx.entry());
                return;
            }
            d.crash(vcpu + ": kernel entry point returned");
        } catch (VcpuHalt halted) {
            // The domain is being destroyed: the thread ends here.
        } catch (GuestMemoryFault fault) {
            d.crash(vcpu + ": unhandled page fault: " + fault.getMessage());
        } catch (KernelBootException e) {
            d.crash(vcpu + ": " + e.getMessage());
        } catch (Throwable t) {
            d.crash(vcpu + ": " + t);
        }
    }

    /** Reads start_info and the kernel image it names, and instantiates the kernel. */
    private static GuestKernel load(Domain d, long startInfoAddress) {
        GuestMemory m = d.hypervisorView();
        StartInfo si;
        KernelImage image;
        try {
            si = StartInfo.read(m, startInfoAddress);
            if ((si.flags() & StartInfo.SIF_MOD_START_PFN) == 0 || si.modLen() <= 0) {
                throw new KernelBootException("start_info names no kernel image (mod_start/mod_len)");
            }
            image = KernelImage.read(m, Page.addressOf(si.modStart()), si.modLen());
        } catch (GuestMemoryFault | IllegalArgumentException e) {
            throw new KernelBootException("cannot read the kernel image: " + e.getMessage());
        }
        try {
            return d.hypervisor().kernels().newKernel(Path.of(image.jarPath()));
        } catch (KernelLoadException e) {
            throw new KernelBootException(e.getMessage());
        }
    }

    private static final class KernelBootException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KernelBootException(String message) {
            super(message, null, false, false);
        }
    }
}
