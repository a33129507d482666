package org.hvsim.hv.abi;

/**
 * {@code struct shared_info} (x86-64): the page the hypervisor shares with each domain. It holds the
 * per-vCPU {@code vcpu_info} of the first 32 vCPUs, the 2-level event channel bitmaps and the
 * wallclock. Pending bits are set by Xen and cleared by the guest; mask bits are written only by
 * the guest and only read by Xen.
 *
 * <pre>
 *    0  vcpu_info    vcpu_info[32]       64 bytes each, see {@link VcpuInfo}
 * 2048  u64          evtchn_pending[64]  bit P of word P/64: port P pending   [XEN sets, GST clears]
 * 2560  u64          evtchn_mask[64]     bit P of word P/64: port P masked    [GST]
 * 3072  u32          wc_version
 * 3076  u32          wc_sec
 * 3080  u32          wc_nsec
 * 3084  u32          wc_sec_hi
 * 3088  arch_shared_info: u64 max_pfn, u64 pfn_to_mfn_frame_list_list, u64 nmi_reason, ...
 * </pre>
 */
public final class SharedInfo {
    public static final int LEGACY_MAX_VCPUS = 32;
    public static final int VCPU_INFO = 0;
    public static final int EVTCHN_PENDING = 2048;
    public static final int EVTCHN_MASK = 2560;
    /** Words in each event bitmap: 64 × 64 = 4096 ports. */
    public static final int EVTCHN_WORDS = 64;
    public static final int WC_VERSION = 3072;
    public static final int WC_SEC = 3076;
    public static final int WC_NSEC = 3080;
    public static final int WC_SEC_HI = 3084;
    public static final int ARCH_MAX_PFN = 3088;

    private SharedInfo() {}

    /** Offset of {@code vcpu_info[vcpu]} in the page. */
    public static int vcpuInfo(int vcpu) {
        if (vcpu < 0 || vcpu >= LEGACY_MAX_VCPUS) {
            throw new IllegalArgumentException("vcpu_info lives in shared_info only for vCPUs 0.." + (LEGACY_MAX_VCPUS - 1));
        }
        return VCPU_INFO + vcpu * VcpuInfo.SIZE;
    }

    /** Offset of the pending word holding {@code port}. */
    public static int pendingWord(int port) {
        return EVTCHN_PENDING + (port >>> 6) * 8;
    }

    /** Offset of the mask word holding {@code port}. */
    public static int maskWord(int port) {
        return EVTCHN_MASK + (port >>> 6) * 8;
    }

    /** The bit of {@code port} within its word. */
    public static long bit(int port) {
        return 1L << (port & 63);
    }
}
