package org.hvsim.domu.kernel;

import java.util.BitSet;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.hvsim.domu.blk.BlockDevice;
import org.hvsim.domu.boot.BootInfo;
import org.hvsim.domu.boot.BootInfoException;
import org.hvsim.domu.console.ConsoleDriver;
import org.hvsim.domu.control.CpuAvailability;
import org.hvsim.domu.control.CpuHotplugWatcher;
import org.hvsim.domu.control.ShutdownActions;
import org.hvsim.domu.control.ShutdownWatcher;
import org.hvsim.domu.cpu.CpuTable;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.EventChannels;
import org.hvsim.domu.event.Ipis;
import org.hvsim.domu.event.UpcallHandler;
import org.hvsim.domu.gnttab.GrantTable;
import org.hvsim.domu.mm.FrameAllocator;
import org.hvsim.domu.time.Timers;
import org.hvsim.domu.virtioblk.VbdBus;
import org.hvsim.domu.xenbus.XenbusClient;
import org.hvsim.domu.xenbus.XenbusException;
import org.hvsim.domu.xenbus.XenbusTransaction;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.xenstore.WorkloadResult;

/**
 * A booted kernel: what vCPU 0 set up from start_info ({@link #start}) and what every vCPU and app then
 * uses: the frame allocator, event channels, timers, IPIs, the console, the xenbus client (when start_info has
 * a xenstore ring), and the per-CPU table. One instance per domain, shared by all its vCPUs.
 *
 * <p>The kernel has no threads of its own: work that must run in task context but not in an event handler
 * (xenwatch: watch callbacks such as the shutdown watcher's) runs when a vCPU waits in the kernel
 * ({@link #waitForEvent}, {@link #idle}) or passes a {@link #schedule} point, as Mini-OS's threads run
 * when the current one blocks.
 *
 * <p>Threads: every vCPU of the domain, concurrently. Fields are final and set before the instance is
 * published (the shutdown watcher, volatile, when vCPU 0 starts it); the parts are thread-safe as their
 * classes say.
 */
public final class Kernel {
    private final BootInfo boot;
    private final long bootTime;
    private final FrameAllocator frames;
    private final EventChannels channels;
    private final Timers timers;
    private final Ipis ipis;
    private final ConsoleDriver console;
    private final XenbusClient xenbus;
    private final GrantTable grants;
    private volatile ShutdownWatcher shutdownWatcher;
    private final GuestMemory memory;
    private volatile VbdBus vbds;
    private final CpuTable cpus;
    private final CpuBringup bringup;
    private final int vcpus;
    private final int vcpusUpAtBoot;
    private final CpuHotplug hotplug;

    private Kernel(BootInfo boot, long bootTime, FrameAllocator frames, EventChannels channels, Timers timers,
            Ipis ipis, ConsoleDriver console, XenbusClient xenbus, CpuTable cpus, CpuBringup bringup, int vcpus,
            BitSet upAtBoot, GrantTable grants, GuestMemory memory) {
        this.boot = boot;
        this.memory = memory;
        this.bootTime = bootTime;
        this.frames = frames;
        this.channels = channels;
        this.timers = timers;
        this.ipis = ipis;
        this.console = console;
        this.xenbus = xenbus;
        this.grants = grants;
        this.cpus = cpus;
        this.bringup = bringup;
        this.vcpus = vcpus;
        this.vcpusUpAtBoot = upAtBoot.cardinality();
        this.hotplug = new CpuHotplug(vcpus, upAtBoot, this::println, ipis, timers);
    }

    /**
     * Boots the kernel on vCPU 0 ({@code cpu}): checks start_info, masks every event channel, sets up the
     * frame allocator, vCPU 0's per-CPU data and timer, the console, and the xenbus client when start_info
     * names a xenstore ring (no request is sent yet: see {@link #startXenbus}); then enables upcalls on vCPU 0.
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
        XenbusClient xenbus = boot.hasStore()
                ? XenbusClient.attach(self, channels, ipis, Page.addressOf(boot.storeFrame()), boot.storeEvtchn())
                : null;
        int vcpus = 0;
        BitSet up = new BitSet();
        for (int id = 0; id < CpuTable.MAX_VCPUS; id++) {
            long rc = self.hypercalls().vcpuIsUp(id);
            if (rc == -Errno.ENOENT) {
                break;
            }
            vcpus++;
            if (rc == 1) {
                up.set(id);
            }
        }
        Kernel k = new Kernel(boot, bootTime, frames, channels, timers, ipis, console, xenbus, cpus, bringup, vcpus, up,
                new GrantTable(m), m);
        self.enableUpcalls();
        return k;
    }

    /**
     * Starts what the kernel runs over XenStore, on vCPU 0 once the console is up: the shutdown watcher
     * (watching {@code control/shutdown} and publishing {@code control/feature-*}) and the vCPU hotplug watcher
     * (watching {@code cpu}: {@code xl vcpu-set}) and the virtual block devices ({@link VbdBus}, watching
     * {@code device/vbd}) are queued for the xenwatch worker, to start once xenstored has connected the ring, so boot never waits for xenstored (a request
     * written to {@code control/shutdown} before the watch exists is seen when the watch first fires).
     * Without a xenstore ring it does nothing.
     */
    public void startXenbus(PerCpu cpu) {
        if (xenbus == null) {
            return;
        }
        xenbus.xenwatch().reportTo(this::println);
        println(cpu, "minios: xenstore ring gfn " + boot.storeFrame() + " port " + boot.storeEvtchn()
                + (xenbus.connected() ? "" : "; waiting for xenstored to connect it"));
        ShutdownWatcher watcher = new ShutdownWatcher(xenbus, new ShutdownActions() {
            @Override
            public void report(PerCpu c, String line) {
                println(c, line);
            }

            @Override
            public void shutdown(PerCpu c, ShutdownReason reason) {
                Kernel.this.shutdown(c, reason);
            }
        });
        shutdownWatcher = watcher;
        CpuHotplugWatcher cpuWatcher = new CpuHotplugWatcher(xenbus, hotplug);
        VbdBus bus = new VbdBus(xenbus, new KernelBlkfrontPlatform(this, memory));
        vbds = bus;
        xenbus.whenConnected(c -> {
            xenbus.ringNotQuiescent().ifPresent(s -> println(c, "minios: xenbus " + s));
            try {
                watcher.start(c);
            } catch (XenbusException e) {
                println(c, "minios: cannot watch " + ShutdownWatcher.CONTROL_SHUTDOWN + ": " + e.getMessage());
            }
            try {
                cpuWatcher.start(c);
            } catch (XenbusException e) {
                println(c, "minios: cannot watch " + CpuAvailability.CPU_DIR + ": " + e.getMessage());
            }
            try {
                bus.start(c);
            } catch (XenbusException e) {
                println(c, "minios: cannot watch " + VbdBus.VBD_DIR + ": " + e.getMessage());
            }
        });
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

    /**
     * Blocks {@code cpu} until an event arrives for it ({@code SCHEDOP_block}); its handler has run on return.
     * Queued xenwatch work runs first; if there was some, this returns without blocking, so the caller
     * re-checks what it waits for. A safe point for vCPU hotplug: a secondary vCPU asked to go offline goes
     * down here, and returns from here when it is brought up again.
     */
    public void waitForEvent(PerCpu cpu) {
        cpu.requireTaskLevel("waiting for an event");
        hotplug.playDeadIfRequested(cpu);
        if (xenbus != null && xenbus.xenwatch().runPending(cpu)) {
            hotplug.playDeadIfRequested(cpu);
            return;
        }
        cpu.hypercalls().block();
    }

    /**
     * Blocks {@code cpu} until {@code ready} holds, an event arrives or system time reaches {@code deadline}
     * (0: no deadline), as {@link #waitForEvent(PerCpu)} does; {@code ready} is checked with upcalls masked
     * just before {@code SCHEDOP_block} (which unmasks them as it blocks), so an event that makes it true in
     * between ends the block at once instead of being taken and lost. Returns after queued xenwatch work has
     * run, after an event, or at once if {@code ready} holds: the caller re-checks.
     */
    public void waitForEvent(PerCpu cpu, BooleanSupplier ready, long deadline) {
        cpu.requireTaskLevel("waiting for an event");
        hotplug.playDeadIfRequested(cpu);
        if (xenbus != null && xenbus.xenwatch().runPending(cpu)) {
            hotplug.playDeadIfRequested(cpu);
            return;
        }
        cpu.disableUpcalls();
        if (ready.getAsBoolean() || (deadline != 0 && cpu.now() >= deadline)) {
            cpu.enableUpcalls();
            return;
        }
        if (deadline != 0) {
            cpu.hypercalls().setTimer(deadline);
        }
        cpu.hypercalls().block();
    }

    /**
     * A voluntary scheduling point for long-running task code (Linux's {@code cond_resched}): takes pending
     * upcalls and runs queued xenwatch work, so that {@code control/shutdown} is honoured by a busy domain.
     * A safe point for vCPU hotplug, as {@link #waitForEvent} is.
     */
    public void schedule(PerCpu cpu) {
        cpu.preemptionPoint();
        if (xenbus != null) {
            cpu.requireTaskLevel("schedule");
            xenbus.xenwatch().runPending(cpu);
        }
        hotplug.playDeadIfRequested(cpu);
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

    /**
     * Publishes the result of the app's workload: its JSON line (one JSON object) on the console, and in
     * xenstore at {@link WorkloadResult#NODE} for the toolstack ({@code xl workload-result}). Without a
     * xenstore ring, or when the write fails or the result is too large, the console line is all; the
     * failure is reported there.
     */
    public void publishResult(PerCpu cpu, String json) {
        println(cpu, json);
        if (xenbus == null) {
            return;
        }
        if (json.length() > WorkloadResult.MAX_BYTES) {
            println(cpu, "minios: result of " + json.length() + " bytes not published (at most "
                    + WorkloadResult.MAX_BYTES + ")");
            return;
        }
        try {
            xenbus.write(cpu, XenbusTransaction.NIL, WorkloadResult.NODE, json);
        } catch (XenbusException e) {
            println(cpu, "minios: cannot publish the result in " + WorkloadResult.NODE + ": " + e.error());
        }
    }

    /** The grant table driver (set up on its first grant). */
    public GrantTable grants() {
        return grants;
    }

    /**
     * The block device {@code name} names (its backend's {@code dev}, e.g. {@code xvda}, or its virtual-device
     * number), once the kernel has probed it; it may not be connected yet.
     */
    public Optional<BlockDevice> blockDevice(String name) {
        VbdBus bus = vbds;
        return bus == null ? Optional.empty() : bus.find(name).map(f -> f);
    }

    /** The virtual block devices, once {@link #startXenbus} has made the bus. */
    public Optional<VbdBus> vbds() {
        return Optional.ofNullable(vbds);
    }

    /** The xenbus client, when start_info names a xenstore ring. */
    public Optional<XenbusClient> xenbus() {
        return Optional.ofNullable(xenbus);
    }

    /** The shutdown watcher, once {@link #startXenbus} has made it. */
    public Optional<ShutdownWatcher> shutdownWatcher() {
        return Optional.ofNullable(shutdownWatcher);
    }
}
