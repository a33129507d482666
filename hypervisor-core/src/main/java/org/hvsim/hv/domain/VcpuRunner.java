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
        publishTime(vcpu);
        try {
            VcpuGuestContext ctx = vcpu.context();
            GuestKernel kernel = d.kernel(startInfo -> load(d, startInfo));
            if (ctx.entry() == VcpuGuestContext.ENTRY_BOOT) {
                kernel.boot(cpu, ctx.argument());
            } else if (ctx.entry() == VcpuGuestContext.ENTRY_SECONDARY) {
                kernel.startSecondary(cpu, ctx.argument());
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

    /**
     * Publishes the vCPU's {@code vcpu_time_info} as Xen's update_vcpu_system_time does (version odd
     * while writing). hvsim's TSC counts system-time nanoseconds, so one record stays exact.
     */
    private static void publishTime(Vcpu vcpu) {
        if (vcpu.id() >= org.hvsim.hv.abi.SharedInfo.LEGACY_MAX_VCPUS) {
            return;
        }
        GuestMemory si = vcpu.domain().sharedInfo();
        long t = org.hvsim.hv.abi.SharedInfo.vcpuInfo(vcpu.id());
        int version = si.getIntAcquire(t + org.hvsim.hv.abi.VcpuInfo.TIME_VERSION);
        int writing = (version & 1) == 0 ? version + 1 : version + 2;
        si.putIntRelease(t + org.hvsim.hv.abi.VcpuInfo.TIME_VERSION, writing);
        long now = vcpu.domain().hypervisor().clock().now();
        si.putLong(t + org.hvsim.hv.abi.VcpuInfo.TIME_TSC_TIMESTAMP, now);
        si.putLong(t + org.hvsim.hv.abi.VcpuInfo.TIME_SYSTEM_TIME, now);
        si.putInt(t + org.hvsim.hv.abi.VcpuInfo.TIME_TSC_TO_SYSTEM_MUL, org.hvsim.hv.abi.VcpuInfo.NS_TSC_TO_SYSTEM_MUL);
        si.putByte(t + org.hvsim.hv.abi.VcpuInfo.TIME_TSC_SHIFT, (byte) org.hvsim.hv.abi.VcpuInfo.NS_TSC_SHIFT);
        si.putByte(t + org.hvsim.hv.abi.VcpuInfo.TIME_FLAGS, (byte) 0);
        si.putIntRelease(t + org.hvsim.hv.abi.VcpuInfo.TIME_VERSION, writing + 1);
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
