package org.hvsim.hv.domain;

import org.hvsim.hv.abi.EventCallback;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.hypercall.HypercallContext;
import org.hvsim.hv.memory.DomainGuestMemory;
import org.hvsim.hv.sched.SchedUnit;

/**
 * The machine as the kernel on one vCPU sees it: the hypercall instruction, memory whose every access
 * is a preemption point, and event upcalls delivered on the way back to guest code. Used only by the
 * vCPU's own thread.
 */
final class GuestCpuView implements GuestCpu {
    /** Upcalls delivered in a row on one return to guest code before the guest runs again. */
    private static final int MAX_UPCALLS_PER_RETURN = 8;
    /** How often a halted vCPU may swallow {@link VcpuHalt} before it is parked for good. */
    private static final int MAX_IGNORED_HALTS = 2;

    private final Vcpu vcpu;
    private final Domain domain;
    private final SchedUnit unit;
    private final GuestMemory memory;
    private final HypercallContext context;
    private int haltsThrown;

    GuestCpuView(Vcpu vcpu) {
        this.vcpu = vcpu;
        this.domain = vcpu.domain();
        this.unit = vcpu.unit();
        this.memory = new DomainGuestMemory(domain.memory(), this::memoryAccess);
        this.context = new HypercallContext(domain, vcpu);
    }

    @Override
    public int vcpuId() {
        return vcpu.id();
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public long hypercall(int nr, long a1, long a2, long a3, long a4, long a5) {
        checkIn();
        long result = domain.hypervisor().hypercalls().dispatch(context, nr, a1, a2, a3, a4, a5);
        returnToGuest();
        return result;
    }

    @Override
    public void registerEventCallback(EventCallback callback) {
        vcpu.setCallback(callback);
    }

    @Override
    public void preemptionPoint() {
        returnToGuest();
    }

    @Override
    public long readTsc() {
        return domain.hypervisor().clock().now();
    }

    /** Every guest memory access: the vCPU may be descheduled here, and unwinds if its domain dies. */
    private void memoryAccess() {
        if (vcpu.isDying()) {
            halt();
        }
        if (unit.preemptRequested() && Vcpu.current() == vcpu) {
            vcpu.scheduler().preempted(unit);
        }
    }

    /** Entering the hypervisor: honour a pending preemption or halt first. */
    private void checkIn() {
        if (vcpu.isDying()) {
            halt();
        }
        if (unit.preemptRequested()) {
            vcpu.scheduler().preempted(unit);
            if (vcpu.isDying()) {
                halt();
            }
        }
    }

    /** Leaving the hypervisor for guest code: preemption, halt, then pending event upcalls. */
    private void returnToGuest() {
        checkIn();
        EventCallback cb = vcpu.callback();
        if (cb == null) {
            return;
        }
        GuestMemory si = domain.sharedInfo();
        long mask = org.hvsim.hv.abi.SharedInfo.vcpuInfo(vcpu.id()) + org.hvsim.hv.abi.VcpuInfo.EVTCHN_UPCALL_MASK;
        for (int i = 0; i < MAX_UPCALLS_PER_RETURN && vcpu.eventsNeedDelivery(); i++) {
            si.putByte(mask, (byte) 1);
            vcpu.scheduler().trace().upcall(unit);
            try {
                cb.upcall(this);
            } finally {
                si.putByte(mask, (byte) 0);
            }
        }
    }

    private void halt() {
        if (haltsThrown++ >= MAX_IGNORED_HALTS) {
            vcpu.scheduler().retire(unit);
        }
        throw new VcpuHalt(vcpu.toString());
    }
}
