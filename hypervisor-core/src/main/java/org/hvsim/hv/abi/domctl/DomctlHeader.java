package org.hvsim.hv.abi.domctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_domctl}: {@code cmd} u32 @0, {@code interface_version} u32 @4, {@code domain}
 * domid_t @8 (IN/OUT), padding, then the command's union {@code u} @16, 128 bytes. Total 144.
 */
public record DomctlHeader(int cmd, int interfaceVersion, int domain) {
    public static final int DOMAIN = 8;
    /** Offset of the command-specific union. */
    public static final int U = 16;
    public static final int U_SIZE = 128;
    public static final int SIZE = U + U_SIZE;

    public static DomctlHeader read(GuestMemory m, long a) {
        return new DomctlHeader(m.getInt(a), m.getInt(a + 4), m.getUnsignedShort(a + DOMAIN));
    }

    public void write(GuestMemory m, long a) {
        m.fill(a, SIZE, (byte) 0);
        m.putInt(a, cmd);
        m.putInt(a + 4, interfaceVersion);
        m.putShort(a + DOMAIN, (short) domain);
    }

    /** Writes back the domain field (createdomain returns the new domid there). */
    public static void writeDomain(GuestMemory m, long a, int domid) {
        m.putShort(a + DOMAIN, (short) domid);
    }
}
