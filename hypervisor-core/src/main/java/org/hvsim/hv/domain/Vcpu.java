package org.hvsim.hv.domain;

import java.util.BitSet;
import java.util.function.LongSupplier;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.EventCallback;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.VcpuInfo;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;
import org.hvsim.hv.sched.RunstateInfo;
import org.hvsim.hv.sched.SchedUnit;
import org.hvsim.hv.sched.Scheduler;
import org.hvsim.hv.time.TimerService;

/**
 * One vCPU (Xen's {@code struct vcpu}): its scheduling unit and virtual thread, its initial context,
 * its timers (VCPUOP singleshot and periodic, set_timer_op, the SCHEDOP_poll timeout) and its poll
 * state. dom0's vCPUs are external: they have no unit or thread here, they run in the dom0 process.
 *
 * <p>Threads: the vCPU's own thread makes its hypercalls; the toolstack's and the timer's threads
 * pause, kick and time it. Context and start are serialised on the vCPU's monitor.
 */
public final class Vcpu {
    /** Xen refuses periodic timers shorter than 1 ms (VCPUOP_set_periodic_timer: -EINVAL). */
    static final long MIN_PERIOD_NS = 1_000_000L;

    private final Hypervisor hv;
    private final Domain domain;
    private final int id;
    private final SchedUnit unit;
    private final TimerService.Timer singleshot;
    private final TimerService.Timer periodic;
    private final TimerService.Timer pollTimer;
    private volatile long periodNs;
    private volatile int[] pollPorts;
    private volatile boolean pollTimedOut;
    private volatile EventCallback callback;
    private volatile LongSupplier externalCpuTime = () -> 0;

    // guarded by this
    private VcpuGuestContext context;
    private Thread thread;

    Vcpu(Hypervisor hv, Domain domain, int id) {
        this.hv = hv;
        this.domain = domain;
        this.id = id;
        this.unit = domain.isExternal() ? null : hv.scheduler().createUnit(domain.domid(), id);
        this.singleshot = hv.timers().newTimer(this::timerFired);
        this.periodic = hv.timers().newTimer(this::periodicFired);
        this.pollTimer = hv.timers().newTimer(this::pollTimerFired);
    }

    public int id() {
        return id;
    }

    public Domain domain() {
        return domain;
    }

    /** The vCPU whose thread is the current thread, or null. */
    public static Vcpu current() {
        return CURRENT.get();
    }

    private static final ThreadLocal<Vcpu> CURRENT = new ThreadLocal<>();

    SchedUnit unit() {
        return unit;
    }

    /** The unit to pass to {@link Scheduler#yield} from this vCPU's own thread. */
    public SchedUnit unitForYield() {
        return unit;
    }

    /** Between steps of a long hypercall (multicall entries): the vCPU may be descheduled here. */
    public void hypervisorPreemptionPoint() {
        if (unit != null && current() == this && unit.preemptRequested()) {
            hv.scheduler().preempted(unit);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Context and bring-up
    // ---------------------------------------------------------------------------------------------

    /** VCPUOP_initialise: sets the initial context of a vCPU not yet initialised (-EEXIST otherwise). */
    public synchronized int initialise(VcpuGuestContext ctx) {
        if (domain.isExternal()) {
            return -Errno.EINVAL;
        }
        if (context != null) {
            return -Errno.EEXIST;
        }
        context = ctx;
        return 0;
    }

    /**
     * XEN_DOMCTL_setvcpucontext: the domain builder sets the context of a vCPU that has not started;
     * with VGCF_online the vCPU comes up (it runs when the domain is unpaused).
     */
    public synchronized int setContext(VcpuGuestContext ctx) {
        if (domain.isExternal()) {
            return -Errno.EINVAL;
        }
        if (thread != null) {
            return -Errno.EBUSY;
        }
        context = ctx;
        if ((ctx.flags() & VcpuGuestContext.VGCF_ONLINE) != 0) {
            startThread();
        }
        return 0;
    }

    synchronized VcpuGuestContext context() {
        return context;
    }

    /** VCPUOP_up: -EINVAL unless initialised; starts the vCPU or brings it back up. */
    public synchronized int up() {
        if (domain.isExternal() || context == null) {
            return -Errno.EINVAL;
        }
        if (thread == null) {
            startThread();
        } else {
            hv.scheduler().up(unit);
        }
        return 0;
    }

    private void startThread() {
        thread = hv.scheduler().newVcpuThread(unit, "d" + domain.domid() + "v" + id, () -> {
            CURRENT.set(this);
            VcpuRunner.run(this);
        });
        hv.scheduler().startUnit(unit, thread);
    }

    /** VCPUOP_down: the vCPU stops at its next preemption point (at once if it is the caller). */
    public int down() {
        if (domain.isExternal()) {
            return -Errno.EINVAL;
        }
        hv.scheduler().down(unit);
        return 0;
    }

    public boolean isUp() {
        if (domain.isExternal()) {
            return true;
        }
        synchronized (this) {
            if (thread == null) {
                return false;
            }
        }
        return hv.scheduler().isUp(unit);
    }

    // ---------------------------------------------------------------------------------------------
    // Pausing, killing
    // ---------------------------------------------------------------------------------------------

    void pause() {
        if (unit != null) {
            hv.scheduler().pause(unit);
        }
    }

    void unpause() {
        if (unit != null) {
            hv.scheduler().unpause(unit);
        }
    }

    void pauseForShutdown() {
        pause();
        stopTimers();
    }

    boolean awaitOffCpu(long timeoutNs) {
        if (unit == null) {
            return true;
        }
        try {
            return hv.scheduler().awaitOffCpu(unit, timeoutNs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void kill() {
        stopTimers();
        if (unit != null) {
            hv.scheduler().kill(unit);
        }
    }

    /** Whether the vCPU's thread has ended (or never started). */
    synchronized boolean isGone() {
        return thread == null || !thread.isAlive();
    }

    void remove() {
        if (unit != null) {
            hv.scheduler().removeUnit(unit);
        }
    }

    boolean isDying() {
        return unit != null && hv.scheduler().isDying(unit);
    }

    private void stopTimers() {
        singleshot.stop();
        periodic.stop();
        pollTimer.stop();
    }

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /** An event is pending for this vCPU: end its block or poll. */
    void kick() {
        if (unit != null) {
            hv.scheduler().unblock(unit);
        }
    }

    /** Port {@code port} became pending: wake this vCPU if it polls on it. */
    void checkPoll(int port) {
        int[] ports = pollPorts;
        if (ports == null || unit == null) {
            return;
        }
        for (int p : ports) {
            if (p == port) {
                hv.scheduler().unblock(unit);
                return;
            }
        }
    }

    /** evtchn_upcall_pending is set and upcalls are not masked. */
    boolean eventsNeedDelivery() {
        GuestMemory si = domain.sharedInfo();
        long vi = SharedInfo.vcpuInfo(id);
        return si.getByte(vi + VcpuInfo.EVTCHN_UPCALL_PENDING) != 0 && si.getByte(vi + VcpuInfo.EVTCHN_UPCALL_MASK) == 0;
    }

    EventCallback callback() {
        return callback;
    }

    void setCallback(EventCallback cb) {
        this.callback = cb;
    }

    /**
     * SCHEDOP_block, from this vCPU's thread: unmasks upcalls (vcpu_block_enable_events) and blocks
     * until an event is pending.
     */
    public void block() {
        GuestMemory si = domain.sharedInfo();
        si.putByte(SharedInfo.vcpuInfo(id) + VcpuInfo.EVTCHN_UPCALL_MASK, (byte) 0);
        hv.scheduler().block(unit, this::eventsNeedDelivery);
    }

    /**
     * SCHEDOP_poll, from this vCPU's thread: blocks until one of {@code ports} is pending, another event
     * kicks the vCPU, or system time reaches {@code timeout} (0: no timeout). Ports are already checked
     * to be valid by the caller.
     */
    public void poll(int[] ports, long timeout) {
        pollTimedOut = false;
        pollPorts = ports;
        try {
            if (timeout != 0) {
                pollTimer.set(timeout);
            }
            hv.scheduler().block(unit, () -> pollTimedOut || anyPending(ports));
        } finally {
            pollPorts = null;
            pollTimer.stop();
        }
    }

    private boolean anyPending(int[] ports) {
        for (int p : ports) {
            if (hv.evtchn().isPending(domain, p)) {
                return true;
            }
        }
        return false;
    }

    private void pollTimerFired() {
        pollTimedOut = true;
        if (unit != null) {
            hv.scheduler().unblock(unit);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Timers
    // ---------------------------------------------------------------------------------------------

    /** set_timer_op / VCPUOP_set_singleshot_timer: VIRQ_TIMER at {@code deadline}; 0 stops it. */
    public void setSingleshot(long deadline) {
        if (deadline == 0) {
            singleshot.stop();
        } else {
            singleshot.set(deadline);
        }
    }

    public void stopSingleshot() {
        singleshot.stop();
    }

    /** VCPUOP_set_periodic_timer: returns 0 or -EINVAL for a period under 1 ms. */
    public int setPeriodic(long period) {
        if (period < MIN_PERIOD_NS) {
            return -Errno.EINVAL;
        }
        periodNs = period;
        periodic.set(hv.clock().now() + period);
        return 0;
    }

    public void stopPeriodic() {
        periodNs = 0;
        periodic.stop();
    }

    private void timerFired() {
        hv.scheduler().trace().timer(domain.domid(), id);
        hv.evtchn().sendVirq(domain, id, Virq.TIMER);
    }

    private void periodicFired() {
        long p = periodNs;
        if (p == 0) {
            return;
        }
        hv.scheduler().trace().timer(domain.domid(), id);
        hv.evtchn().sendVirq(domain, id, Virq.TIMER);
        periodic.set(hv.clock().now() + p);
    }

    // ---------------------------------------------------------------------------------------------
    // Scheduling information
    // ---------------------------------------------------------------------------------------------

    public RunstateInfo runstate() {
        if (unit == null) {
            long t = externalCpuTime.getAsLong();
            return new RunstateInfo(VcpuOp.RUNSTATE_RUNNING, 0, t, 0, 0, 0);
        }
        return hv.scheduler().runstate(unit);
    }

    /** For an external (dom0) vCPU: where its CPU time comes from (the dom0 process's CPU time). */
    public void setExternalCpuTime(LongSupplier supplier) {
        this.externalCpuTime = supplier;
    }

    /** The pCPU it runs or last ran on. */
    public int processor() {
        return unit == null ? id % hv.scheduler().nrPcpus() : hv.scheduler().processor(unit);
    }

    public BitSet hardAffinity() {
        return unit == null ? null : hv.scheduler().hardAffinity(unit);
    }

    public BitSet softAffinity() {
        return unit == null ? null : hv.scheduler().softAffinity(unit);
    }

    public void setHardAffinity(BitSet cpus) {
        if (unit != null) {
            hv.scheduler().setHardAffinity(unit, cpus);
        }
    }

    public void setSoftAffinity(BitSet cpus) {
        if (unit != null) {
            hv.scheduler().setSoftAffinity(unit, cpus);
        }
    }

    Scheduler scheduler() {
        return hv.scheduler();
    }

    @Override
    public String toString() {
        return "d" + domain.domid() + "v" + id;
    }
}
