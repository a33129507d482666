package org.hvsim.hv.abi;

/**
 * An access to guest memory that is out of bounds, unmapped, not owned, misaligned for an atomic
 * access, or read-only. Hypercalls turn it into {@code -EFAULT}; a guest kernel that takes one
 * outside a hypercall has crashed.
 */
public final class GuestMemoryFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;

    public GuestMemoryFault(long address, String reason) {
        super(String.format("guest memory fault at 0x%x: %s", address, reason), null, false, false);
        this.address = address;
    }

    /** The guest-physical address of the faulting access. */
    public long address() {
        return address;
    }
}
