package org.hvsim.hv.abi.vcpu;

import org.hvsim.hv.abi.GuestMemory;

/**
 * hvsim's {@code vcpu_guest_context}: the initial state of a vCPU, given with VCPUOP_initialise (by
 * the guest, for secondary vCPUs) or XEN_DOMCTL_setvcpucontext (by the domain builder, for vCPU 0).
 * On x86 Xen this holds registers; hvsim's kernels are Java, so the context names the entry instead.
 *
 * <pre>
 *  0  u64  flags      VGCF_* (VGCF_online: the vCPU may be brought up)
 *  8  u64  entry      ENTRY_BOOT: run GuestKernel.boot with start_info at {@code argument};
 *                     ENTRY_SECONDARY: run GuestKernel.startSecondary with {@code argument}
 * 16  u64  argument
 * </pre>
 */
public record VcpuGuestContext(long flags, long entry, long argument) {
    public static final int SIZE = 24;
    /** {@code VGCF_online}. */
    public static final long VGCF_ONLINE = 1L << 5;
    public static final long ENTRY_BOOT = 1;
    public static final long ENTRY_SECONDARY = 2;

    public static VcpuGuestContext read(GuestMemory m, long a) {
        return new VcpuGuestContext(m.getLong(a), m.getLong(a + 8), m.getLong(a + 16));
    }

    public void write(GuestMemory m, long a) {
        m.putLong(a, flags);
        m.putLong(a + 8, entry);
        m.putLong(a + 16, argument);
    }
}
