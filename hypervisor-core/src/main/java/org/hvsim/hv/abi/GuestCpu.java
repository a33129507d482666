package org.hvsim.hv.abi;

/**
 * One virtual CPU as the guest kernel running on it sees it: the hypercall instruction, the domain's
 * memory, the event callback registration and the TSC. Every method is to be called only from the
 * vCPU's own thread, the one its kernel entry point runs on.
 *
 * <p>Hypercalls and guest memory accesses are preemption points: the hypervisor may take the pCPU away
 * there when the vCPU's slice is over. Pending event upcalls are delivered (the registered
 * {@link EventCallback} runs, with upcalls masked) on return from a hypercall and at
 * {@link #preemptionPoint()}, when {@code evtchn_upcall_mask} is clear; a kernel that spins without
 * either calls {@code preemptionPoint()} in its loop, as a CPU takes interrupts between instructions.
 */
public interface GuestCpu {

    /** This vCPU's id, 0-based. */
    int vcpuId();

    /** The domain's guest-physical memory. */
    GuestMemory memory();

    /**
     * Makes hypercall {@code nr} with up to five register arguments (pointers are guest-physical
     * addresses in {@link #memory()}); returns the hypercall's result, a negative {@link Errno} on error.
     */
    long hypercall(int nr, long a1, long a2, long a3, long a4, long a5);

    default long hypercall(int nr, long a1, long a2) {
        return hypercall(nr, a1, a2, 0, 0, 0);
    }

    default long hypercall(int nr, long a1, long a2, long a3) {
        return hypercall(nr, a1, a2, a3, 0, 0);
    }

    /** {@code HYPERVISOR_set_callbacks}: where event upcalls go; {@code null} removes the callback. */
    void registerEventCallback(EventCallback callback);

    /** An interrupt window: lets the hypervisor preempt the vCPU and deliver a pending upcall. */
    void preemptionPoint();

    /** The time stamp counter: nanoseconds of system time (see {@link VcpuInfo}). */
    long readTsc();
}
