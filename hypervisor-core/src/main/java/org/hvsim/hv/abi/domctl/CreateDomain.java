package org.hvsim.hv.abi.domctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_domctl_createdomain} (in the domctl union):
 * <pre>
 *  0 u32 ssidref        4 u8 handle[16] (UUID)     20 u32 flags (XEN_DOMCTL_CDF_*)
 * 24 u32 iommu_opts    28 u32 max_vcpus           32 u32 max_evtchn_port
 * 36 i32 max_grant_frames  40 i32 max_maptrack_frames (&lt;0: host default)
 * 44 u32 grant_opts (low 4 bits: max grant version)   48 u32 altp2m_opts
 * 52 u32 vmtrace_size  56 u32 cpupool_id          60 arch (x86: u32 emulation_flags, u32 misc_flags)
 * </pre>
 */
public record CreateDomain(int ssidref, byte[] handle, int flags, int maxVcpus, int maxEvtchnPort,
        int maxGrantFrames, int maxMaptrackFrames, int grantOpts, int cpupoolId) {
    public static final int SIZE = 68;
    public static final int CDF_HVM = 1 << 0;
    public static final int CDF_HAP = 1 << 1;
    public static final int CDF_XS_DOMAIN = 1 << 4;

    public static CreateDomain read(GuestMemory m, long a) {
        return new CreateDomain(m.getInt(a), m.readBytes(a + 4, 16), m.getInt(a + 20), m.getInt(a + 28),
                m.getInt(a + 32), m.getInt(a + 36), m.getInt(a + 40), m.getInt(a + 44), m.getInt(a + 56));
    }

    public void write(GuestMemory m, long a) {
        m.fill(a, SIZE, (byte) 0);
        m.putInt(a, ssidref);
        m.write(a + 4, handle, 0, 16);
        m.putInt(a + 20, flags);
        m.putInt(a + 28, maxVcpus);
        m.putInt(a + 32, maxEvtchnPort);
        m.putInt(a + 36, maxGrantFrames);
        m.putInt(a + 40, maxMaptrackFrames);
        m.putInt(a + 44, grantOpts);
        m.putInt(a + 56, cpupoolId);
    }
}
