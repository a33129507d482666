package org.hvsim.hv.abi.domctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_domctl_getdomaininfo} (112 bytes; also the element of sysctl getdomaininfolist):
 * <pre>
 *  0 domid_t domain   4 u32 flags (XEN_DOMINF_*, shutdown reason in bits 16..23)
 *  8 u64 tot_pages   16 u64 max_pages   24 u64 outstanding_pages   32 u64 shr_pages
 * 40 u64 paged_pages 48 u64 shared_info_frame  56 u64 cpu_time (ns)
 * 64 u32 nr_online_vcpus  68 u32 max_vcpu_id  72 u32 ssidref  76 u8 handle[16]
 * 92 u32 cpupool  96 u8 gpaddr_bits  104 arch_config (8)
 * </pre>
 */
public record GetDomainInfo(int domain, int flags, long totPages, long maxPages, long outstandingPages,
        long sharedInfoFrame, long cpuTime, int nrOnlineVcpus, int maxVcpuId, int ssidref, byte[] handle,
        int cpupool) {
    public static final int SIZE = 112;

    public static GetDomainInfo read(GuestMemory m, long a) {
        return new GetDomainInfo(m.getUnsignedShort(a), m.getInt(a + 4), m.getLong(a + 8), m.getLong(a + 16),
                m.getLong(a + 24), m.getLong(a + 48), m.getLong(a + 56), m.getInt(a + 64), m.getInt(a + 68),
                m.getInt(a + 72), m.readBytes(a + 76, 16), m.getInt(a + 92));
    }

    public void write(GuestMemory m, long a) {
        m.fill(a, SIZE, (byte) 0);
        m.putShort(a, (short) domain);
        m.putInt(a + 4, flags);
        m.putLong(a + 8, totPages);
        m.putLong(a + 16, maxPages);
        m.putLong(a + 24, outstandingPages);
        m.putLong(a + 48, sharedInfoFrame);
        m.putLong(a + 56, cpuTime);
        m.putInt(a + 64, nrOnlineVcpus);
        m.putInt(a + 68, maxVcpuId);
        m.putInt(a + 72, ssidref);
        m.write(a + 76, handle, 0, 16);
        m.putInt(a + 92, cpupool);
        m.putByte(a + 96, (byte) 52);
    }
}
