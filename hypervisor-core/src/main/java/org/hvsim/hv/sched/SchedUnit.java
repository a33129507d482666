package org.hvsim.hv.sched;

import java.util.BitSet;
import org.hvsim.hv.abi.VcpuOp;

/**
 * The scheduler's state of one vCPU (Xen's {@code sched_unit} with the vCPU's pause flags and
 * runstate). Fields without a note are guarded by the {@link Scheduler}'s lock; {@link #preempt}
 * is read without it by the vCPU's own thread at preemption points.
 */
public final class SchedUnit {
    /** {@code _VPF_blocked}: waiting for an event (SCHEDOP_block / SCHEDOP_poll). */
    public static final int VPF_BLOCKED = 1;
    /** {@code _VPF_down}: VCPUOP_down, or never brought up. */
    public static final int VPF_DOWN = 2;

    private final int domid;
    private final int vcpuId;

    // --- guarded by the scheduler lock ---
    Runnable continuation;      // the virtual thread's ready continuation, or null
    int pcpu = -1;              // the pCPU running it, or -1
    int lastPcpu;               // where it ran last (or was first placed)
    int pauseFlags = VPF_DOWN;
    int pauseCount;
    boolean queued;             // in the policy's run queue
    WakeCause wakeCause;        // why it became runnable, reported to the policy when it is queued
    boolean exited;             // its thread has ended
    boolean removed;            // removed from the scheduler for good
    volatile boolean dying;     // its domain is being destroyed: run once more to unwind (read unlocked by its thread)
    BitSet hardAffinity;        // null = all pCPUs
    BitSet softAffinity;        // null = all pCPUs
    int runstate = VcpuOp.RUNSTATE_OFFLINE;
    long runstateEntry;
    final long[] runstateTime = new long[4];
    long sliceDeadline;

    /** Policy-private data (credit's per-vCPU record, ...). Touched only by the policy. */
    public Object policyData;

    /** Set when the unit should leave its pCPU at the next preemption point. */
    volatile boolean preempt;

    SchedUnit(int domid, int vcpuId, int firstPcpu, long now) {
        this.domid = domid;
        this.vcpuId = vcpuId;
        this.lastPcpu = firstPcpu;
        this.runstateEntry = now;
    }

    public int domid() {
        return domid;
    }

    public int vcpuId() {
        return vcpuId;
    }

    /** The last pCPU it ran on (a hint for policies; guarded by the scheduler lock). */
    public int lastPcpu() {
        return lastPcpu;
    }

    /** Hard affinity, or null for all pCPUs (guarded by the scheduler lock; do not modify). */
    public BitSet hardAffinity() {
        return hardAffinity;
    }

    /** Soft affinity, or null for all pCPUs (guarded by the scheduler lock; do not modify). */
    public BitSet softAffinity() {
        return softAffinity;
    }

    /** Whether it may run on {@code cpu} by its hard affinity. */
    public boolean allowedOn(int cpu) {
        return hardAffinity == null || hardAffinity.get(cpu);
    }

    boolean runnable() {
        return !exited && !removed && (dying || pauseFlags == 0 && pauseCount == 0);
    }

    boolean eligible() {
        return runnable() && continuation != null && pcpu < 0;
    }

    /** Whether the vCPU's thread should stop at its next preemption point. Read by that thread. */
    public boolean preemptRequested() {
        return preempt;
    }

    /** Enters {@code newState} at {@code now}, accounting the time in the old one; whether it changed. */
    boolean changeRunstate(int newState, long now) {
        if (newState == runstate) {
            return false;
        }
        long delta = now - runstateEntry;
        if (delta > 0) {
            runstateTime[runstate] += delta;
        }
        runstate = newState;
        runstateEntry = Math.max(now, runstateEntry);
        return true;
    }

    @Override
    public String toString() {
        return "d" + domid + "v" + vcpuId;
    }
}
