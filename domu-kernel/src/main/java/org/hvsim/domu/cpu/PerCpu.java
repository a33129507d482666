package org.hvsim.domu.cpu;

import org.hvsim.domu.hypercall.Hypercalls;
import org.hvsim.domu.hypercall.ScratchArea;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.VcpuInfo;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;

/**
 * The kernel's per-CPU data for one vCPU: its {@link GuestCpu}, its scratch area and hypercall layer,
 * its view of the event bitmaps and of system time, and its interrupt level (task code or an event
 * handler). Kernel code running on a vCPU touches guest memory only through that vCPU's own
 * {@link #memory()}: an access is a preemption point of the vCPU that makes it.
 *
 * <p>Threads: only its vCPU's own thread.
 */
public final class PerCpu {
    private final int id;
    private final GuestCpu cpu;
    private final GuestMemory memory;
    private final ScratchArea scratch;
    private final Hypercalls hypercalls;
    private final TwoLevelEventScan events;
    private final SystemTime time;
    private final long vcpuInfo;

    /**
     * @param cpu               the vCPU, as its kernel entry point received it
     * @param scratchFrame      guest-physical address of a kernel-owned frame for hypercall arguments
     * @param sharedInfoAddress where shared_info is mapped
     */
    public PerCpu(GuestCpu cpu, long scratchFrame, long sharedInfoAddress) {
        this.id = cpu.vcpuId();
        this.cpu = cpu;
        this.memory = cpu.memory();
        this.scratch = new ScratchArea(scratchFrame);
        this.hypercalls = new Hypercalls(cpu, scratch);
        this.events = new TwoLevelEventScan(memory, sharedInfoAddress);
        this.vcpuInfo = sharedInfoAddress + SharedInfo.vcpuInfo(id);
        this.time = new SystemTime(memory, vcpuInfo, cpu::readTsc);
    }

    public int id() {
        return id;
    }

    public GuestCpu guest() {
        return cpu;
    }

    public GuestMemory memory() {
        return memory;
    }

    public Hypercalls hypercalls() {
        return hypercalls;
    }

    /** This vCPU's view of the 2-level event bitmaps. */
    public TwoLevelEventScan events() {
        return events;
    }

    /** System time in ns. */
    public long now() {
        return time.now();
    }

    /** Whether an event handler is running on this vCPU (it must not block or print). */
    public boolean inUpcall() {
        return scratch.inUpcall();
    }

    /** Fails when called from an event handler: {@code what} blocks or waits. */
    public void requireTaskLevel(String what) {
        if (scratch.inUpcall()) {
            throw new IllegalStateException(what + " from an event handler on vCPU " + id);
        }
    }

    /** Called by the upcall handler around one upcall. */
    public void enterUpcall() {
        scratch.enterUpcall();
    }

    public void leaveUpcall() {
        scratch.leaveUpcall();
    }

    /**
     * Clears {@code evtchn_upcall_mask} (Mini-OS's {@code local_irq_enable}) and takes any upcall that
     * was held back meanwhile.
     */
    public void enableUpcalls() {
        memory.putByte(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_MASK, (byte) 0);
        cpu.preemptionPoint();
    }

    /**
     * Sets {@code evtchn_upcall_mask} (Mini-OS's {@code local_irq_disable}): events still become pending, but
     * no upcall is taken until {@link #enableUpcalls} or {@code SCHEDOP_block}, which unmasks as it blocks.
     */
    public void disableUpcalls() {
        memory.putByte(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_MASK, (byte) 1);
    }

    /** Whether {@code evtchn_upcall_mask} is set. */
    public boolean upcallsMasked() {
        return memory.getByte(vcpuInfo + VcpuInfo.EVTCHN_UPCALL_MASK) != 0;
    }

    /** An interrupt window: the hypervisor may preempt this vCPU and deliver an upcall here. */
    public void preemptionPoint() {
        cpu.preemptionPoint();
    }
}
