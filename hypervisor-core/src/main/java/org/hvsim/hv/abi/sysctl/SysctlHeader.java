package org.hvsim.hv.abi.sysctl;

import org.hvsim.hv.abi.GuestMemory;

/** {@code struct xen_sysctl}: {@code cmd} u32 @0, {@code interface_version} u32 @4, union {@code u} @8 (128 bytes). */
public record SysctlHeader(int cmd, int interfaceVersion) {
    public static final int U = 8;
    public static final int U_SIZE = 128;
    public static final int SIZE = U + U_SIZE;

    public static SysctlHeader read(GuestMemory m, long a) {
        return new SysctlHeader(m.getInt(a), m.getInt(a + 4));
    }

    public void write(GuestMemory m, long a) {
        m.fill(a, SIZE, (byte) 0);
        m.putInt(a, cmd);
        m.putInt(a + 4, interfaceVersion);
    }
}
