package org.hvsim.hv.abi.sysctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_sysctl_getdomaininfolist}: IN {@code first_domain} domid_t @0, {@code max_domains}
 * u32 @4, {@code buffer} u64 @8 (guest handle to xen_domctl_getdomaininfo[]); OUT {@code num_domains} u32 @16.
 */
public record GetDomainInfoList(int firstDomain, int maxDomains, long buffer, int numDomains) {
    public static final int SIZE = 24;
    public static final int NUM_DOMAINS = 16;

    public static GetDomainInfoList read(GuestMemory m, long a) {
        return new GetDomainInfoList(m.getUnsignedShort(a), m.getInt(a + 4), m.getLong(a + 8), m.getInt(a + 16));
    }

    public void write(GuestMemory m, long a) {
        m.putShort(a, (short) firstDomain);
        m.putShort(a + 2, (short) 0);
        m.putInt(a + 4, maxDomains);
        m.putLong(a + 8, buffer);
        m.putInt(a + 16, numDomains);
        m.putInt(a + 20, 0);
    }
}
