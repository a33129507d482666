package org.hvsim.domu.kernel;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiConsumer;
import org.hvsim.domu.control.CpuHotplugActions;
import org.hvsim.domu.cpu.CpuTable;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.Ipis;
import org.hvsim.domu.time.Timers;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;

/**
 * Taking secondary vCPUs down and bringing them up, as a Linux PV guest does. A vCPU goes down only on itself
 * and only at a safe point, never while it holds a kernel lock (Linux's {@code play_dead}): {@link #offline}
 * marks it, kicks it with its IPI so that a blocked vCPU wakes, and polls {@code VCPUOP_is_up} until it is down
 * or {@value #DOWN_DEADLINE_MS} ms have passed (Linux's {@code xen_cpu_die}); the vCPU sees the mark at its next
 * {@link Kernel#waitForEvent} or {@link Kernel#schedule} ({@link #playDeadIfRequested}) and makes
 * {@code VCPUOP_down} on itself, which returns when the vCPU is brought up again, and it carries on where it was.
 * {@link #online} brings a vCPU up with {@code VCPUOP_up}, first giving one that never ran its initial context
 * ({@code VCPUOP_initialise}, entering {@link org.hvsim.hv.abi.GuestKernel#startSecondary}), as Linux's
 * {@code xen_cpu_up} does for a vCPU not yet in {@code xen_cpu_initialized_map}.
 *
 * <p>Each vCPU's state: {@code UP}, {@code OFFLINE_REQUESTED} (marked, still running) or {@code GOING_DOWN}
 * (it took the mark and is making, or has made, {@code VCPUOP_down}). The dying vCPU takes the mark with a
 * compare-and-set, so a mark withdrawn by {@link #online} before it was taken is never acted on; and
 * {@link #online} brings a {@code GOING_DOWN} vCPU up only once it is down, so its {@code VCPUOP_down} cannot
 * come after the {@code VCPUOP_up} and leave it down.
 *
 * <p>Threads: {@link #online} and {@link #offline} on the xenwatch worker (any vCPU, one at a time);
 * {@link #playDeadIfRequested} on every vCPU, each for itself. The state is an atomic array.
 */
final class CpuHotplug implements CpuHotplugActions {
    /** How long {@link #offline} waits for a vCPU to go down. */
    static final long DOWN_DEADLINE_MS = 10_000;
    /** How long {@link #offline} sleeps between two {@code VCPUOP_is_up}. */
    static final long POLL_NS = 1_000_000;

    private static final int UP = 0;
    private static final int OFFLINE_REQUESTED = 1;
    private static final int GOING_DOWN = 2;

    private final AtomicIntegerArray state = new AtomicIntegerArray(CpuTable.MAX_VCPUS);
    /** Whether each vCPU has a context (the toolstack's, for those up at boot, or one this kernel gave). */
    private final AtomicIntegerArray initialised = new AtomicIntegerArray(CpuTable.MAX_VCPUS);
    private final int vcpus;
    private final BiConsumer<PerCpu, String> console;
    private final Ipis ipis;
    private final Timers timers;

    /**
     * @param vcpus         the domain's vCPUs, as {@code VCPUOP_is_up} found them at boot
     * @param upAtBoot      the vCPUs that were up at boot (the toolstack gave them their contexts)
     * @param console       prints one line on the console
     */
    CpuHotplug(int vcpus, BitSet upAtBoot, BiConsumer<PerCpu, String> console, Ipis ipis, Timers timers) {
        this.vcpus = vcpus;
        this.console = console;
        this.ipis = ipis;
        this.timers = timers;
        upAtBoot.stream().filter(CpuTable::supports).forEach(id -> initialised.set(id, 1));
    }

    @Override
    public void report(PerCpu cpu, String line) {
        console.accept(cpu, line);
    }

    @Override
    public int vcpus() {
        return Math.min(vcpus, CpuTable.MAX_VCPUS);
    }

    @Override
    public void online(PerCpu cpu, int id) {
        if (id == 0 || !CpuTable.supports(id)) {
            return;
        }
        if (state.compareAndSet(id, OFFLINE_REQUESTED, UP) && isUp(cpu, id)) {
            return;  // it had not gone down yet, and now it will not
        }
        if (state.get(id) == GOING_DOWN && !awaitDown(cpu, id)) {
            report(cpu, "minios: cpu " + id + " is still going offline; cannot bring it online");
            return;
        }
        if (state.get(id) == UP && isUp(cpu, id)) {
            return;
        }
        state.set(id, UP);  // before VCPUOP_up: the vCPU reads it when its VCPUOP_down returns
        if (initialised.get(id) == 0) {
            long rc = cpu.hypercalls().vcpuInitialise(id,
                    new VcpuGuestContext(0, VcpuGuestContext.ENTRY_SECONDARY, 0));
            if (rc != 0 && rc != -Errno.EEXIST) {
                report(cpu, "minios: cannot bring cpu " + id + " online: VCPUOP_initialise: " + Errno.name(rc));
                return;
            }
            initialised.set(id, 1);
        }
        long rc = cpu.hypercalls().vcpuUp(id);
        if (rc != 0) {
            report(cpu, "minios: cannot bring cpu " + id + " online: VCPUOP_up: " + Errno.name(rc));
            return;
        }
        report(cpu, "minios: cpu " + id + " online");
    }

    @Override
    public void offline(PerCpu cpu, int id) {
        if (id == 0 || !CpuTable.supports(id) || !isUp(cpu, id)) {
            return;
        }
        state.set(id, OFFLINE_REQUESTED);
        if (id == cpu.id()) {
            // The worker runs on the vCPU itself, inside a safe point that checks the mark once this returns.
            report(cpu, "minios: cpu " + id + " offline");
            return;
        }
        ipis.send(cpu, id);
        if (awaitDown(cpu, id)) {
            report(cpu, "minios: cpu " + id + " offline");
        } else {
            report(cpu, "minios: cpu " + id + " did not go offline within " + DOWN_DEADLINE_MS + " ms");
        }
    }

    /**
     * At a safe point on {@code cpu}: if it is marked to go down, takes the mark and makes {@code VCPUOP_down}
     * on itself; returns when it is brought up again (at once if it was not marked).
     */
    void playDeadIfRequested(PerCpu cpu) {
        int id = cpu.id();
        if (id == 0 || !CpuTable.supports(id) || !state.compareAndSet(id, OFFLINE_REQUESTED, GOING_DOWN)) {
            return;
        }
        cpu.hypercalls().vcpuDown(id);
        // Up again: online() set UP before its VCPUOP_up. Anything else (the hypervisor refused) is UP too.
        state.compareAndSet(id, GOING_DOWN, UP);
    }

    /** Polls until vCPU {@code id} is down; false if it is still up after {@value #DOWN_DEADLINE_MS} ms. */
    private boolean awaitDown(PerCpu cpu, int id) {
        long deadline = cpu.now() + DOWN_DEADLINE_MS * 1_000_000L;
        while (isUp(cpu, id)) {
            if (cpu.now() >= deadline) {
                return false;
            }
            timers.sleep(cpu, POLL_NS);
        }
        return true;
    }

    private static boolean isUp(PerCpu cpu, int id) {
        return cpu.hypercalls().vcpuIsUp(id) == 1;
    }
}
