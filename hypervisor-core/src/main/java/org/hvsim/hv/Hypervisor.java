package org.hvsim.hv;

import java.util.function.IntConsumer;
import org.hvsim.hv.console.ConsoleRing;
import org.hvsim.hv.console.HvConsole;
import org.hvsim.hv.domain.DomainTable;
import org.hvsim.hv.evtchn.EventChannelManager;
import org.hvsim.hv.evtchn.EventChannelOps;
import org.hvsim.hv.gnttab.GrantTableOps;
import org.hvsim.hv.hypercall.HypercallTable;
import org.hvsim.hv.kernel.KernelLoader;
import org.hvsim.hv.memory.HostMemory;
import org.hvsim.hv.memory.MachineMemory;
import org.hvsim.hv.memory.MemoryOps;
import org.hvsim.hv.sched.Scheduler;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.time.HvClock;
import org.hvsim.hv.time.TimerService;

/**
 * The machine: machine memory, pCPUs and their scheduler, the domain table, event channels, grant
 * tables, the console, the kernel loader and the hypercall table, wired together once at boot. Subsystems reach
 * each other through it. Thread-safe: every component is.
 */
public final class Hypervisor implements AutoCloseable {
    /** Frames at the bottom of machine memory the hypervisor keeps for itself. */
    public static final long XEN_FRAMES = 16;

    private final HostIdentity identity;
    private final HvClock clock;
    private final TimerService timers;
    private final MachineMemory machine;
    private final HostMemory memory;
    private final Scheduler scheduler;
    private final DomainTable domains;
    private final EventChannelManager evtchn;
    private final EventChannelOps evtchnOps;
    private final MemoryOps memoryOps;
    private final GrantTableOps gnttabOps;
    private final HvConsole console;
    private final KernelLoader kernels;
    private final HypercallTable hypercalls;
    private volatile IntConsumer hostShutdownRequest = reason -> {};

    public Hypervisor(HostIdentity identity, HvClock clock, MachineMemory machine, SchedulerPolicy policy, int nrPcpus) {
        this.identity = identity;
        this.clock = clock;
        this.timers = new TimerService(clock);
        this.machine = machine;
        this.memory = new HostMemory(machine, XEN_FRAMES);
        this.scheduler = new Scheduler(clock, policy, nrPcpus, timers);
        this.console = new HvConsole(new ConsoleRing(ConsoleRing.DEFAULT_SIZE), clock);
        this.kernels = new KernelLoader();
        this.domains = new DomainTable(this);
        this.evtchn = new EventChannelManager(domains);
        this.evtchnOps = new EventChannelOps(evtchn);
        this.memoryOps = new MemoryOps(memory, domains);
        this.gnttabOps = new GrantTableOps(domains, machine);
        this.hypercalls = HypercallTable.standard(this);
        console.onOutput(() -> evtchn.sendGlobalVirq(org.hvsim.hv.abi.Virq.CON_RING));
    }

    /** Starts the pCPUs. */
    public void start() {
        scheduler.start();
        console.printk("hvsim " + identity.version() + " (Xen " + identity.xenMajor() + "." + identity.xenMinor()
                + " interface): " + machine.frames() * 4 / 1024 + " MiB machine memory, " + scheduler.nrPcpus()
                + " pCPUs, scheduler " + scheduler.policy().name());
    }

    public HostIdentity identity() {
        return identity;
    }

    public HvClock clock() {
        return clock;
    }

    public TimerService timers() {
        return timers;
    }

    public MachineMemory machine() {
        return machine;
    }

    public HostMemory memory() {
        return memory;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public DomainTable domains() {
        return domains;
    }

    public EventChannelManager evtchn() {
        return evtchn;
    }

    public EventChannelOps evtchnOps() {
        return evtchnOps;
    }

    public MemoryOps memoryOps() {
        return memoryOps;
    }

    public GrantTableOps gnttabOps() {
        return gnttabOps;
    }

    public HvConsole console() {
        return console;
    }

    public KernelLoader kernels() {
        return kernels;
    }

    public HypercallTable hypercalls() {
        return hypercalls;
    }

    /** Who to tell when dom0 asks for the host to shut down (SCHEDOP_shutdown from dom0). */
    public void onHostShutdownRequest(IntConsumer callback) {
        this.hostShutdownRequest = callback;
    }

    public void requestHostShutdown(int reason) {
        hostShutdownRequest.accept(reason);
    }

    /** Destroys every domain, stops the pCPUs and timers. The machine memory is the caller's to close. */
    @Override
    public void close() {
        domains.destroyAll();
        scheduler.close();
        timers.close();
    }
}
