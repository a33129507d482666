package org.hvsim.hv.abi;

/**
 * {@code struct vcpu_info} (x86, 64 bytes) inside {@link SharedInfo}, and its {@code vcpu_time_info}.
 *
 * <pre>
 *  0  u8   evtchn_upcall_pending   set by Xen when an event is pending; cleared by the guest
 *  1  u8   evtchn_upcall_mask      guest: 1 = no upcalls (like cli)
 *  8  u64  evtchn_pending_sel      bit W: pending word W may have unmasked pending ports
 * 16  arch_vcpu_info: u64 cr2, u64 pad
 * 32  vcpu_time_info:
 *       32 u32 version   (odd while Xen updates it)
 *       40 u64 tsc_timestamp
 *       48 u64 system_time   ns since boot at tsc_timestamp
 *       56 u32 tsc_to_system_mul
 *       60 i8  tsc_shift
 *       61 u8  flags
 * </pre>
 *
 * <p>hvsim's TSC counts nanoseconds, so {@code tsc_to_system_mul = 2^31} with {@code tsc_shift = 1}
 * makes the standard conversion ({@code ((tsc << shift) * mul) >> 32}) the identity.
 */
public final class VcpuInfo {
    public static final int SIZE = 64;
    public static final int EVTCHN_UPCALL_PENDING = 0;
    public static final int EVTCHN_UPCALL_MASK = 1;
    public static final int EVTCHN_PENDING_SEL = 8;
    public static final int TIME_VERSION = 32;
    public static final int TIME_TSC_TIMESTAMP = 40;
    public static final int TIME_SYSTEM_TIME = 48;
    public static final int TIME_TSC_TO_SYSTEM_MUL = 56;
    public static final int TIME_TSC_SHIFT = 60;
    public static final int TIME_FLAGS = 61;

    /** With hvsim's nanosecond TSC: multiplier and shift that make tsc → ns the identity. */
    public static final int NS_TSC_TO_SYSTEM_MUL = 1 << 31;
    public static final int NS_TSC_SHIFT = 1;

    private VcpuInfo() {}

    /**
     * Converts a TSC delta to nanoseconds the way guests do with {@code vcpu_time_info}
     * ({@code scale_delta} in Linux and Mini-OS).
     */
    public static long scaleDelta(long delta, int mulFrac, int shift) {
        long d = shift < 0 ? delta >>> -shift : delta << shift;
        return Math.unsignedMultiplyHigh(d, Integer.toUnsignedLong(mulFrac) << 32);
    }
}
