package org.hvsim.hv.domain;

import java.lang.foreign.MemorySegment;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.VcpuInfo;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.evtchn.EventChannels;
import org.hvsim.hv.evtchn.EvtchnDomain;
import org.hvsim.hv.gnttab.GrantDomain;
import org.hvsim.hv.gnttab.GrantTable;
import org.hvsim.hv.memory.DomainGuestMemory;
import org.hvsim.hv.memory.DomainMemory;
import org.hvsim.hv.memory.MemoryDomain;
import org.hvsim.hv.memory.PreemptionHook;
import org.hvsim.hv.sched.RunstateInfo;

/**
 * One domain (Xen's {@code struct domain}): its memory, shared_info page, event channels and vCPUs,
 * and its lifecycle state: the toolstack's pause count, shutdown, and destruction.
 *
 * <p>Threads: any. Lifecycle changes are serialised on the domain's monitor; state read on hot
 * paths (dying, shutdown, pause count) is volatile.
 */
public final class Domain implements EvtchnDomain, MemoryDomain, GrantDomain {
    /** Xen caps the toolstack's pause count (controller_pause_count). */
    static final int MAX_CONTROLLER_PAUSES = 255;
    /** How long pause waits for a vCPU to leave its pCPU before giving up (a vCPU that never yields). */
    static final long PAUSE_SYNC_NS = 1_000_000_000L;

    private final Hypervisor hv;
    private final int domid;
    private final boolean privileged;
    private final boolean external;
    private final int ssidref;
    private final DomainMemory memory;
    private final long sharedInfoMfn;
    private final GuestMemory sharedInfo;
    private final DomainGuestMemory hvView;
    private final EventChannels eventChannels;
    private final GrantTable grantTable;
    private final Vcpu[] vcpus;
    private final long createdAt;
    private final DomainWatchdog watchdog;
    private volatile byte[] handle;
    private volatile VcpuKicker kicker;

    private volatile int controllerPauseCount;
    private volatile boolean shuttingDown;
    private volatile int shutdownReason;
    private volatile int shutdownCode = -1;
    private volatile DomainState state = DomainState.ALIVE;
    private volatile GuestKernel kernel;

    Domain(Hypervisor hv, int domid, DomainParams p, DomainMemory memory, long sharedInfoMfn) {
        this.hv = hv;
        this.domid = domid;
        this.privileged = p.privileged();
        this.external = p.external();
        this.ssidref = p.ssidref();
        this.handle = p.handle();
        this.memory = memory;
        this.sharedInfoMfn = sharedInfoMfn;
        MemorySegment frame = hv.machine().frame(sharedInfoMfn);
        this.sharedInfo = new SegmentGuestMemory(frame, 0);
        this.hvView = new DomainGuestMemory(memory, PreemptionHook.NONE);
        this.eventChannels = new EventChannels(this, p.maxEvtchnPort());
        this.grantTable = new GrantTable(domid, memory, hv.machine(), p.maxGrantFrames(), p.maxMaptrackFrames());
        this.createdAt = hv.clock().now();
        this.watchdog = new DomainWatchdog(hv, this);
        this.vcpus = new Vcpu[p.maxVcpus()];
        for (int i = 0; i < vcpus.length; i++) {
            // A new vCPU starts with event upcalls masked, as in Xen.
            sharedInfo.putByte(SharedInfo.vcpuInfo(i) + VcpuInfo.EVTCHN_UPCALL_MASK, (byte) 1);
            vcpus[i] = new Vcpu(hv, this, i);
        }
        this.kicker = external ? v -> {} : v -> vcpus[v].kick();
        // A domain is created paused by the toolstack; its first unpause starts it.
        this.controllerPauseCount = 1;
        for (Vcpu v : vcpus) {
            v.pause();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Identity and resources
    // ---------------------------------------------------------------------------------------------

    @Override
    public int domid() {
        return domid;
    }

    @Override
    public boolean isPrivileged() {
        return privileged;
    }

    /** Whether this domain's vCPUs run in another process (dom0). */
    public boolean isExternal() {
        return external;
    }

    public int ssidref() {
        return ssidref;
    }

    public byte[] handle() {
        return handle.clone();
    }

    public void setHandle(byte[] uuid) {
        this.handle = uuid.clone();
    }

    @Override
    public DomainMemory memory() {
        return memory;
    }

    @Override
    public long sharedInfoFrame() {
        return sharedInfoMfn;
    }

    /** The shared_info page as the hypervisor reads and writes it (base address 0). */
    @Override
    public GuestMemory sharedInfo() {
        return sharedInfo;
    }

    /** The domain's memory as hypervisor code reads hypercall arguments: never preempts. */
    public GuestMemory hypervisorView() {
        return hvView;
    }

    @Override
    public EventChannels eventChannels() {
        return eventChannels;
    }

    @Override
    public long mapGrantFrame(long idx, long gpfn) {
        return grantTable.mapFrame(idx, gpfn);
    }

    /** The domain's grant table. */
    @Override
    public GrantTable grantTable() {
        return grantTable;
    }

    @Override
    public int maxVcpus() {
        return vcpus.length;
    }

    /** vCPU {@code id}, or null if the domain has no such vCPU. */
    public Vcpu vcpu(int id) {
        return id >= 0 && id < vcpus.length ? vcpus[id] : null;
    }

    public long createdAt() {
        return createdAt;
    }

    /** Replaces how vCPUs are told of pending events (dom0: an upcall over the privcmd channel). */
    public void setKicker(VcpuKicker kicker) {
        this.kicker = kicker;
    }

    private final Object kernelLock = new Object();

    /**
     * The domain's kernel instance, loaded by whichever vCPU runs first (secondary vCPUs may start
     * before vCPU 0): from the image that start_info names, start_info being where vCPU 0's boot
     * context points. Throws if vCPU 0 has no boot context or the image cannot be loaded.
     */
    GuestKernel kernel(java.util.function.LongFunction<GuestKernel> loader) {
        GuestKernel k = kernel;
        if (k != null) {
            return k;
        }
        synchronized (kernelLock) {
            if (kernel == null) {
                org.hvsim.hv.abi.vcpu.VcpuGuestContext boot = vcpus[0].context();
                if (boot == null || boot.entry() != org.hvsim.hv.abi.vcpu.VcpuGuestContext.ENTRY_BOOT) {
                    throw new IllegalStateException("vCPU 0 has no boot context: no kernel to run");
                }
                kernel = loader.apply(boot.argument());
            }
            return kernel;
        }
    }

    Hypervisor hypervisor() {
        return hv;
    }

    // ---------------------------------------------------------------------------------------------
    // EvtchnDomain
    // ---------------------------------------------------------------------------------------------

    @Override
    public boolean isDying() {
        return state != DomainState.ALIVE;
    }

    @Override
    public boolean isControllerPaused() {
        return controllerPauseCount > 0;
    }

    @Override
    public void vcpuKick(int vcpu) {
        kicker.kick(vcpu);
    }

    @Override
    public void checkPollers(int port) {
        for (Vcpu v : vcpus) {
            v.checkPoll(port);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Lifecycle
    // ---------------------------------------------------------------------------------------------

    public DomainState state() {
        return state;
    }

    public int controllerPauseCount() {
        return controllerPauseCount;
    }

    public boolean isShutdown() {
        return shuttingDown;
    }

    /** The SHUTDOWN_* reason once shut down. */
    public int shutdownReason() {
        return shutdownReason;
    }

    /** XEN_DOMCTL_pausedomain: returns 0 or a negated errno. */
    public int pauseByController() {
        synchronized (this) {
            if (state != DomainState.ALIVE) {
                return -Errno.EINVAL;
            }
            if (controllerPauseCount >= MAX_CONTROLLER_PAUSES) {
                return -Errno.EBUSY;
            }
            controllerPauseCount++;
            for (Vcpu v : vcpus) {
                v.pause();
            }
        }
        syncPause();
        return 0;
    }

    /** XEN_DOMCTL_unpausedomain: returns 0 or a negated errno (-EINVAL when not paused). */
    public synchronized int unpauseByController() {
        if (state != DomainState.ALIVE) {
            return -Errno.EINVAL;
        }
        if (controllerPauseCount == 0) {
            return -Errno.EINVAL;
        }
        controllerPauseCount--;
        for (Vcpu v : vcpus) {
            v.unpause();
        }
        return 0;
    }

    /** Waits for every vCPU to be off its pCPU, as Xen's domain_pause does; not from our own vCPU. */
    private void syncPause() {
        Vcpu self = Vcpu.current();
        if (self != null && self.domain() == this) {
            return;
        }
        for (Vcpu v : vcpus) {
            if (!v.awaitOffCpu(PAUSE_SYNC_NS)) {
                hv.console().printk("d" + domid + "v" + v.id() + " did not reach a preemption point within 1 s of pause");
            }
        }
    }

    /**
     * domain_shutdown: the domain stops running (every vCPU paused) and dom0 is told with VIRQ_DOM_EXC.
     * A second shutdown is ignored, as in Xen. Returns 0, or -EINVAL for a bad reason.
     */
    public int shutdown(int reason) {
        if (reason < 0 || reason > ShutdownReason.MAX) {
            return -Errno.EINVAL;
        }
        synchronized (this) {
            if (state != DomainState.ALIVE || shuttingDown) {
                return 0;
            }
            // As Xen: the first reason is latched, and a code latched earlier (SCHEDOP_shutdown_code) wins.
            if (shutdownCode < 0) {
                shutdownCode = reason;
            }
            shutdownReason = shutdownCode;
            shuttingDown = true;
            for (Vcpu v : vcpus) {
                v.pauseForShutdown();
            }
            watchdog.stopAll();
        }
        hv.evtchn().sendGlobalVirq(Virq.DOM_EXC);
        return 0;
    }

    /** SCHEDOP_watchdog: returns a new watchdog's id, 0, or a negated errno. */
    public int watchdog(int id, int timeoutSeconds) {
        return watchdog.op(id, timeoutSeconds);
    }

    /** SCHEDOP_shutdown_code: latches the reason a later shutdown reports. Returns 0 or -EINVAL. */
    public synchronized int setShutdownCode(int reason) {
        if (reason < 0 || reason > ShutdownReason.MAX) {
            return -Errno.EINVAL;
        }
        this.shutdownCode = reason;
        return 0;
    }

    /** domain_crash: the guest did something fatal; it is shut down with SHUTDOWN_crash. */
    public void crash(String why) {
        if (shuttingDown || state != DomainState.ALIVE) {
            return;
        }
        hv.console().printk("Domain " + domid + " crashed: " + why);
        shutdown(ShutdownReason.CRASH.code());
    }

    /**
     * XEN_DOMCTL_destroydomain (domain_kill): the domain starts dying. Its event channels are closed,
     * its vCPUs unwind out of guest code, its memory is released (frames still mapped by dom0 stay until
     * unmapped), and the domain table forgets it once everything is gone.
     */
    public int kill() {
        synchronized (this) {
            if (state != DomainState.ALIVE) {
                return 0;
            }
            state = DomainState.DYING;
        }
        watchdog.stopAll();
        for (Vcpu v : vcpus) {
            v.kill();
        }
        hv.evtchn().destroy(this);
        grantTable.destroy();
        memory.releaseAll();
        hv.console().forget(domid);
        hv.evtchn().sendGlobalVirq(Virq.DOM_EXC);
        hv.domains().reapLater(this);
        return 0;
    }

    /** Whether nothing of the domain is left: vCPU threads ended and every frame freed. */
    boolean isReapable() {
        if (state != DomainState.DYING || !memory.isFullyReleased()) {
            return false;
        }
        for (Vcpu v : vcpus) {
            if (!v.isGone()) {
                return false;
            }
        }
        return true;
    }

    void markDead() {
        state = DomainState.DEAD;
        for (Vcpu v : vcpus) {
            v.remove();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Information
    // ---------------------------------------------------------------------------------------------

    /** XEN_DOMINF_* flags for getdomaininfo. */
    public int infoFlags() {
        int f = 0;
        if (state != DomainState.ALIVE) {
            f |= Domctl.DOMINF_DYING;
        }
        if (shuttingDown) {
            f |= Domctl.DOMINF_SHUTDOWN | (shutdownReason & Domctl.DOMINF_SHUTDOWNMASK) << Domctl.DOMINF_SHUTDOWNSHIFT;
        }
        if (controllerPauseCount > 0) {
            f |= Domctl.DOMINF_PAUSED;
        }
        boolean running = false;
        boolean blocked = true;
        for (Vcpu v : vcpus) {
            if (!v.isUp()) {
                continue;
            }
            RunstateInfo r = v.runstate();
            running |= r.state() == org.hvsim.hv.abi.VcpuOp.RUNSTATE_RUNNING;
            blocked &= r.state() == org.hvsim.hv.abi.VcpuOp.RUNSTATE_BLOCKED;
        }
        if (running) {
            f |= Domctl.DOMINF_RUNNING;
        } else if (blocked && onlineVcpus() > 0) {
            f |= Domctl.DOMINF_BLOCKED;
        }
        return f;
    }

    public int onlineVcpus() {
        int n = 0;
        for (Vcpu v : vcpus) {
            if (v.isUp()) {
                n++;
            }
        }
        return n;
    }

    /** Nanoseconds all vCPUs have spent running. */
    public long cpuTime() {
        long t = 0;
        for (Vcpu v : vcpus) {
            t += v.runstate().running();
        }
        return t;
    }

    @Override
    public String toString() {
        return "d" + domid;
    }
}
