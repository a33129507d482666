package org.hvsim.hv.abi.domctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_domctl_vcpuaffinity}: {@code vcpu} u32 @0, {@code flags} u32 @4
 * (XEN_VCPUAFFINITY_HARD/SOFT/FORCE), {@code cpumap_hard} @8, {@code cpumap_soft} @24.
 */
public record VcpuAffinity(int vcpu, int flags, XenctlBitmap hard, XenctlBitmap soft) {
    public static final int SIZE = 40;

    public static VcpuAffinity read(GuestMemory m, long a) {
        return new VcpuAffinity(m.getInt(a), m.getInt(a + 4), XenctlBitmap.read(m, a + 8), XenctlBitmap.read(m, a + 24));
    }

    public void write(GuestMemory m, long a) {
        m.putInt(a, vcpu);
        m.putInt(a + 4, flags);
        hard.write(m, a + 8);
        soft.write(m, a + 24);
    }
}
