package org.hvsim.hv.abi.domctl;

import org.hvsim.hv.abi.GuestMemory;

/** {@code struct xen_domctl_vcpucontext {u32 vcpu @0; u64 ctxt (guest handle) @8;}}. */
public record VcpuContextArg(int vcpu, long ctxt) {
    public static final int SIZE = 16;

    public static VcpuContextArg read(GuestMemory m, long a) {
        return new VcpuContextArg(m.getInt(a), m.getLong(a + 8));
    }

    public void write(GuestMemory m, long a) {
        m.putInt(a, vcpu);
        m.putInt(a + 4, 0);
        m.putLong(a + 8, ctxt);
    }
}
