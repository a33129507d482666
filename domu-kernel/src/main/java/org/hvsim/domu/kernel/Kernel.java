package org.hvsim.domu.kernel;

import org.hvsim.domu.boot.BootInfo;
import org.hvsim.domu.boot.BootInfoException;
import org.hvsim.domu.console.ConsoleDriver;
import org.hvsim.domu.cpu.CpuTable;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.EventChannels;
import org.hvsim.domu.event.Ipis;
import org.hvsim.domu.event.UpcallHandler;
import org.hvsim.domu.mm.FrameAllocator;
import org.hvsim.domu.time.Timers;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.StartInfo;

/**
 * A booted kernel: what vCPU 0 set up from start_info ({@link #start}) and what every vCPU and app then
 * uses: the frame allocator, event channels, timers, IPIs, the console, and the per-CPU table. One instance per
 * domain, shared by all its vCPUs.
 *
 * <p>Threads: every vCPU of the domain, concurrently. Fields are final and set before the instance is
 * published; the parts are thread-safe as their classes say.
 */
public final class Kernel {
    private final BootInfo boot;
    private final long bootTime;
    private final FrameAllocator frames;
    private final EventChannels channels;
    private final Timers timers;
    private final Ipis ipis;
    private final ConsoleDriver console;
    private final CpuTable cpus;
    private final CpuBringup bringup;
    private final int vcpus;
    private final int vcpusUpAtBoot;

    private Kernel(BootInfo boot, long bootTime, FrameAllocator frames, EventChannels channels, Timers timers,
            Ipis ipis, ConsoleDriver console, CpuTable cpus, CpuBringup bringup, int vcpus, int vcpusUpAtBoot) {
        this.boot = boot;
        this.bootTime = bootTime;
        this.frames = frames;
        this.channels = channels;
        this.timers = timers;
        this.ipis = ipis;
        this.console = console;
        this.cpus = cpus;
        this.bringup = bringup;
        this.vcpus = vcpus;
        this.vcpusUpAtBoot = vcpusUpAtBoot;
    }

    /**
     * Boots the kernel on vCPU 0 ({@code cpu}): checks start_info, masks every event channel, sets up the
     * frame allocator, vCPU 0's per-CPU data and timer, and the console; then enables upcalls on vCPU 0.
     *
     * @throws KernelPanic if start_info cannot be read or is not usable
     */
    public static Kernel start(GuestCpu cpu, long startInfoAddress) {
        GuestMemory m = cpu.memory();
        BootInfo boot;
        try {
            boot = BootInfo.from(StartInfo.read(m, startInfoAddress), startInfoAddress, m);
        } catch (GuestMemoryFault | BootInfoException e) {
            throw new KernelPanic("bad start_info at 0x" + Long.toHexString(startInfoAddress) + ": " + e.getMessage());
        }
        FrameAllocator frames = new FrameAllocator(boot.firstFreeFrame(), boot.nrPages());
        EventChannels channels = new EventChannels(boot.sharedInfo());
        channels.maskAll(m);
        CpuTable cpus = new CpuTable();
        Timers timers = new Timers(channels);
        Ipis ipis = new Ipis(channels);
        UpcallHandler upcalls = new UpcallHandler(cpus, channels);
        CpuBringup bringup = new CpuBringup(boot.sharedInfo(), frames, cpus, upcalls, timers, ipis);
        PerCpu self = bringup.attach(cpu);
        long bootTime = self.now();
        ConsoleDriver console = ConsoleDriver.attach(self, channels, boot.consoleAddress(), boot.consoleEvtchn());
        int vcpus = 0;
        int up = 0;
        for (int id = 0; id < CpuTable.MAX_VCPUS; id++) {
            long rc = self.hypercalls().vcpuIsUp(id);
            if (rc == -Errno.ENOENT) {
                break;
            }
            vcpus++;
            if (rc == 1) {
                up++;
            }
        }
        Kernel k = new Kernel(boot, bootTime, frames, channels, timers, ipis, console, cpus, bringup, vcpus, up);
        self.enableUpcalls();
        return k;
    }

    /**
     * Brings secondary vCPU {@code cpu} into the kernel, on that vCPU, and enables its upcalls.
     *
     * @throws IllegalArgumentException for a vCPU without a {@code vcpu_info} in shared_info
     */
    public PerCpu attachSecondary(GuestCpu cpu) {
        PerCpu pc = bringup.attach(cpu);
        pc.enableUpcalls();
        return pc;
    }

    // ---- what apps use ----

    /** Writes {@code line} and a newline to the console (task code only). */
    public void println(PerCpu cpu, String line) {
        console.print(cpu, line + "\n");
    }

    /** Sleeps {@code ns} of system time on {@code cpu}, handling events meanwhile. */
    public void sleep(PerCpu cpu, long ns) {
        timers.sleep(cpu, ns);
    }

    /** Blocks {@code cpu} until an event arrives for it ({@code SCHEDOP_block}); its handler has run on return. */
    public void waitForEvent(PerCpu cpu) {
        cpu.requireTaskLevel("waiting for an event");
        cpu.hypercalls().block();
    }

    /**
     * Wakes every other vCPU that is up with an IPI, so that a vCPU blocked in {@link #waitForEvent}
     * re-checks what it waits for; publish the change first.
     */
    public void wakeOthers(PerCpu cpu) {
        ipis.sendToOthers(cpu);
    }

    /** The idle loop: blocks {@code cpu} forever, handling events. Never returns. */
    public void idle(PerCpu cpu) {
        while (true) {
            waitForEvent(cpu);
        }
    }

    /** Shuts the domain down with {@code reason} ({@code SCHEDOP_shutdown}). Never returns. */
    public void shutdown(PerCpu cpu, ShutdownReason reason) {
        cpu.requireTaskLevel("shutdown");
        cpu.hypercalls().shutdown(reason);
        idle(cpu);
    }

    /** Prints {@code why} and crashes the domain ({@code SHUTDOWN_crash}). Never returns. */
    public void panic(PerCpu cpu, String why) {
        println(cpu, "minios: panic: " + why);
        shutdown(cpu, ShutdownReason.CRASH);
    }

    public BootInfo bootInfo() {
        return boot;
    }

    /** System time when vCPU 0 entered the kernel. */
    public long bootTime() {
        return bootTime;
    }

    /** vCPUs the domain has (up to {@link CpuTable#MAX_VCPUS}), as {@code VCPUOP_is_up} found at boot. */
    public int vcpus() {
        return vcpus;
    }

    /** vCPUs that were up when vCPU 0 booted. */
    public int vcpusUpAtBoot() {
        return vcpusUpAtBoot;
    }

    public CpuTable cpus() {
        return cpus;
    }

    public FrameAllocator frames() {
        return frames;
    }

    public EventChannels channels() {
        return channels;
    }

    public Timers timers() {
        return timers;
    }

    public Ipis ipis() {
        return ipis;
    }

    public ConsoleDriver console() {
        return console;
    }
}
