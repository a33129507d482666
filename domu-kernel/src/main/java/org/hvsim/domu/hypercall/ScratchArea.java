package org.hvsim.domu.hypercall;

import org.hvsim.hv.abi.Page;

/**
 * One vCPU's kernel-owned frame for hypercall argument structures, split in two slots: one for task
 * code and one for event handlers. An upcall runs on return from a hypercall, before the interrupted
 * code has read that hypercall's OUT fields; giving handlers their own slot keeps them from overwriting
 * those fields. Upcalls do not nest (they run with {@code evtchn_upcall_mask} set), so two slots suffice.
 *
 * <pre>
 *    0  task slot     (2048 bytes)
 * 2048  upcall slot   (2048 bytes)
 * </pre>
 *
 * <p>Threads: only its vCPU's own thread.
 */
public final class ScratchArea {
    public static final int SLOT_SIZE = Page.SIZE / 2;

    private final long frameAddress;
    private boolean inUpcall;

    /** The area over the (kernel-owned) frame at guest-physical {@code frameAddress}. */
    public ScratchArea(long frameAddress) {
        if (Page.offsetIn(frameAddress) != 0) {
            throw new IllegalArgumentException("scratch area must be a whole frame: 0x"
                    + Long.toHexString(frameAddress));
        }
        this.frameAddress = frameAddress;
    }

    /** The slot of the current level: where the next hypercall's arguments go. */
    public long slot() {
        return inUpcall ? frameAddress + SLOT_SIZE : frameAddress;
    }

    /** Whether an event handler is running on this vCPU. */
    public boolean inUpcall() {
        return inUpcall;
    }

    /** The upcall handler starts: hypercalls now use the upcall slot. */
    public void enterUpcall() {
        if (inUpcall) {
            throw new IllegalStateException("nested upcall: event upcalls run masked");
        }
        inUpcall = true;
    }

    public void leaveUpcall() {
        inUpcall = false;
    }
}
