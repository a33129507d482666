package org.hvsim.domu.virtioblk;

import java.util.function.BooleanSupplier;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.EventHandler;
import org.hvsim.hv.abi.GuestMemory;

/**
 * What the frontend needs of the kernel: frames, grants, an event channel, a way to wait and a console. The
 * kernel implements it over its frame allocator, grant table, event channels and xenwatch worker; tests put
 * a stand-in for the hypervisor here.
 *
 * <p>Threads: any vCPU at task level, except {@link #wake} and {@link #notify}, which event handlers may call.
 */
public interface BlkfrontPlatform {
    /** The domain's memory, for rings and request headers (any vCPU may touch them). */
    GuestMemory memory();

    /** A zeroed frame of the kernel's. */
    long allocateZeroedFrame(PerCpu cpu);

    void freeFrame(long gfn);

    /** Grants {@code domid} access to frame {@code gfn}; returns the ref. */
    int grantAccess(PerCpu cpu, int domid, long gfn, boolean readonly);

    /** Ends grant {@code ref}: false while the grantee still has it mapped. */
    boolean endAccess(int ref);

    /** {@code EVTCHNOP_alloc_unbound} for {@code remoteDom}; {@code handler} runs (in an upcall) when it fires. */
    int allocUnbound(PerCpu cpu, int remoteDom, EventHandler handler);

    /** {@code EVTCHNOP_send} on {@code port}. */
    void notify(PerCpu cpu, int port);

    /** Closes {@code port}. */
    void closePort(PerCpu cpu, int port);

    /** Ends vCPU {@code vcpu}'s wait (an IPI). */
    void wake(PerCpu from, int vcpu);

    /**
     * Runs queued xenwatch work, or blocks {@code cpu} until an event arrives or system time reaches
     * {@code deadline} (0: none), unless {@code ready} holds (checked so that no event is lost between the check
     * and the block). The caller re-checks what it waits for.
     */
    void waitForEvent(PerCpu cpu, BooleanSupplier ready, long deadline);

    /** A line on the console. */
    void report(PerCpu cpu, String line);
}
