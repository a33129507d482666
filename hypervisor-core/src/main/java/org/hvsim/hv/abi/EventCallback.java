package org.hvsim.hv.abi;

/**
 * The kernel's event upcall handler ({@code hypervisor_callback}), registered with
 * {@link GuestCpu#registerEventCallback}. It runs on the vCPU's thread with
 * {@code evtchn_upcall_mask} set; the hypervisor restores the mask when it returns. The handler
 * clears {@code evtchn_upcall_pending}, swaps {@code evtchn_pending_sel} with 0 and scans the pending
 * words, the 2-level ABI's usual order.
 */
@FunctionalInterface
public interface EventCallback {
    void upcall(GuestCpu cpu);
}
