package org.hvsim.domu.hypercall;

import org.hvsim.hv.abi.ConsoleIo;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.SchedOp;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.abi.XenVer;
import org.hvsim.hv.abi.evtchn.EvtchnAllocUnbound;
import org.hvsim.hv.abi.evtchn.EvtchnBindIpi;
import org.hvsim.hv.abi.evtchn.EvtchnBindVirq;
import org.hvsim.hv.abi.evtchn.EvtchnClose;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.hvsim.hv.abi.evtchn.EvtchnUnmask;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabSetupTable;
import org.hvsim.hv.abi.sched.SchedPoll;
import org.hvsim.hv.abi.sched.SchedShutdown;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;
import org.hvsim.hv.abi.vcpu.VcpuRunstateInfo;

/**
 * Typed wrappers over {@link GuestCpu#hypercall} for one vCPU ({@code HYPERVISOR_*} in Mini-OS's
 * {@code hypercall-x86_64.h}): argument structures are written into the vCPU's {@link ScratchArea}
 * and their OUT fields read back from it. Operations that produce a value (a port, a runstate) throw
 * {@link HypercallException} on failure; the others return Xen's result (0 or a negated errno) for
 * the caller to act on.
 *
 * <p>Threads: only its vCPU's own thread.
 */
public final class Hypercalls {
    /** Where the port array of {@code SCHEDOP_poll} goes in the slot, after {@code struct sched_poll}. */
    private static final int POLL_PORTS = 32;
    /** Where setup_table's frame list goes in the slot, after {@code struct gnttab_setup_table}. */
    private static final int FRAME_LIST = 32;

    private final GuestCpu cpu;
    private final GuestMemory memory;
    private final ScratchArea scratch;

    public Hypercalls(GuestCpu cpu, ScratchArea scratch) {
        this.cpu = cpu;
        this.memory = cpu.memory();
        this.scratch = scratch;
    }

    // ---- sched_op ----

    /** {@code SCHEDOP_yield}: give up the pCPU, stay runnable. */
    public long yield() {
        return cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.YIELD, 0);
    }

    /** {@code SCHEDOP_block}: unmask event upcalls and sleep until an event is pending for this vCPU. */
    public long block() {
        return cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.BLOCK, 0);
    }

    /**
     * {@code SCHEDOP_poll}: sleep until one of {@code ports} is pending, any event kicks this vCPU, or
     * system time reaches {@code timeout} (absolute ns; 0 = none). With no ports it is a timed sleep.
     */
    public long poll(int[] ports, long timeout) {
        if (ports.length > SchedOp.POLL_MAX_PORTS) {
            throw new IllegalArgumentException("SCHEDOP_poll takes at most " + SchedOp.POLL_MAX_PORTS + " ports");
        }
        long arg = scratch.slot();
        for (int i = 0; i < ports.length; i++) {
            memory.putInt(arg + POLL_PORTS + 4L * i, ports[i]);
        }
        new SchedPoll(arg + POLL_PORTS, ports.length, timeout).write(memory, arg);
        return cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.POLL, arg);
    }

    /** {@code SCHEDOP_shutdown}: the domain stops; for every reason but suspend this does not come back. */
    public long shutdown(ShutdownReason reason) {
        long arg = scratch.slot();
        new SchedShutdown(reason.code()).write(memory, arg);
        return cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.SHUTDOWN, arg);
    }

    // ---- timers ----

    /** {@code set_timer_op}: VIRQ_TIMER on this vCPU at system time {@code deadline}; 0 cancels. */
    public long setTimer(long deadline) {
        return cpu.hypercall(HypercallNr.SET_TIMER_OP, deadline, 0);
    }

    // ---- vcpu_op ----

    /** {@code VCPUOP_is_up}: 1 up, 0 down, {@code -ENOENT} when the domain has no such vCPU. */
    public long vcpuIsUp(int vcpu) {
        return cpu.hypercall(HypercallNr.VCPU_OP, VcpuOp.IS_UP, vcpu, 0);
    }

    /** {@code VCPUOP_down}: take {@code vcpu} offline (at once when it is this vCPU). */
    public long vcpuDown(int vcpu) {
        return cpu.hypercall(HypercallNr.VCPU_OP, VcpuOp.DOWN, vcpu, 0);
    }

    /** {@code VCPUOP_up}: bring {@code vcpu} up; {@code -EINVAL} when it has no context yet. */
    public long vcpuUp(int vcpu) {
        return cpu.hypercall(HypercallNr.VCPU_OP, VcpuOp.UP, vcpu, 0);
    }

    /**
     * {@code VCPUOP_initialise}: give {@code vcpu}, which has never run, its initial context;
     * {@code -EEXIST} when it has one already.
     */
    public long vcpuInitialise(int vcpu, VcpuGuestContext context) {
        long arg = scratch.slot();
        context.write(memory, arg);
        return cpu.hypercall(HypercallNr.VCPU_OP, VcpuOp.INITIALISE, vcpu, arg);
    }

    /** {@code VCPUOP_get_runstate_info} of {@code vcpu}. */
    public VcpuRunstateInfo runstate(int vcpu) {
        long arg = scratch.slot();
        HypercallException.check("VCPUOP_get_runstate_info",
                cpu.hypercall(HypercallNr.VCPU_OP, VcpuOp.GET_RUNSTATE_INFO, vcpu, arg));
        return VcpuRunstateInfo.read(memory, arg);
    }

    // ---- event_channel_op ----

    /** {@code EVTCHNOP_bind_virq}: returns the new port. */
    public int bindVirq(int virq, int vcpu) {
        long arg = scratch.slot();
        new EvtchnBindVirq(virq, vcpu, 0).write(memory, arg);
        HypercallException.check("EVTCHNOP_bind_virq",
                cpu.hypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.BIND_VIRQ, arg));
        return EvtchnBindVirq.read(memory, arg).port();
    }

    /** {@code EVTCHNOP_bind_ipi}: a port that notifies {@code vcpu} when any vCPU of this domain sends on it. */
    public int bindIpi(int vcpu) {
        long arg = scratch.slot();
        new EvtchnBindIpi(vcpu, 0).write(memory, arg);
        HypercallException.check("EVTCHNOP_bind_ipi",
                cpu.hypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.BIND_IPI, arg));
        return EvtchnBindIpi.read(memory, arg).port();
    }

    /** {@code EVTCHNOP_alloc_unbound} in this domain for {@code remoteDom}: returns the new port. */
    public int allocUnbound(int remoteDom) {
        long arg = scratch.slot();
        new EvtchnAllocUnbound(DomId.SELF, remoteDom, 0).write(memory, arg);
        HypercallException.check("EVTCHNOP_alloc_unbound",
                cpu.hypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.ALLOC_UNBOUND, arg));
        return EvtchnAllocUnbound.read(memory, arg).port();
    }

    /** {@code EVTCHNOP_send}: notify the other end of {@code port}. */
    public long send(int port) {
        long arg = scratch.slot();
        new EvtchnSend(port).write(memory, arg);
        return cpu.hypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.SEND, arg);
    }

    /** {@code EVTCHNOP_unmask}: clear the mask bit and re-raise the port if it is pending. */
    public long unmask(int port) {
        long arg = scratch.slot();
        new EvtchnUnmask(port).write(memory, arg);
        return cpu.hypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.UNMASK, arg);
    }

    /** {@code EVTCHNOP_close}. */
    public long close(int port) {
        long arg = scratch.slot();
        new EvtchnClose(port).write(memory, arg);
        return cpu.hypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.CLOSE, arg);
    }

    // ---- console_io, xen_version ----

    /**
     * {@code CONSOLEIO_write}: {@code data} to the hypervisor's console ({@code xl dmesg}), copied through
     * the scratch slot in slot-sized pieces. For messages when the PV console cannot be used.
     */
    public long consoleWrite(byte[] data) {
        long arg = scratch.slot();
        for (int off = 0; off < data.length; ) {
            int n = Math.min(ScratchArea.SLOT_SIZE, data.length - off);
            memory.write(arg, data, off, n);
            long rc = cpu.hypercall(HypercallNr.CONSOLE_IO, ConsoleIo.WRITE, n, arg);
            if (rc < 0) {
                return rc;
            }
            off += n;
        }
        return 0;
    }

    /** {@code XENVER_version}: {@code major << 16 | minor}. */
    public long xenVersion() {
        return cpu.hypercall(HypercallNr.XEN_VERSION, XenVer.VERSION, 0);
    }

    // ---- grant_table_op ----

    /**
     * {@code GNTTABOP_setup_table} for this domain: grows its grant table to {@code gfns.length} frames
     * and fills {@code gfns} with the frames' guest frame numbers. Returns the GNTST status; throws
     * {@link HypercallException} when the call itself fails.
     */
    public int gnttabSetupTable(long[] gfns) {
        long arg = scratch.slot();
        long list = arg + FRAME_LIST;
        if (FRAME_LIST + 8L * gfns.length > ScratchArea.SLOT_SIZE) {
            throw new IllegalArgumentException(gfns.length + " frames do not fit the scratch slot");
        }
        new GnttabSetupTable(DomId.SELF, gfns.length, 0, list).write(memory, arg);
        HypercallException.check("GNTTABOP_setup_table",
                cpu.hypercall(HypercallNr.GRANT_TABLE_OP, GntTabOp.SETUP_TABLE, arg, 1));
        int status = memory.getShort(arg + GnttabSetupTable.STATUS);
        if (status == 0) {
            for (int i = 0; i < gfns.length; i++) {
                gfns[i] = memory.getLong(list + 8L * i);
            }
        }
        return status;
    }
}
