package org.hvsim.dom0.privcmd;

/**
 * Bounds of the privcmd wire protocol ({@code privcmd.proto}) as dom0 applies them; the same values
 * as the hypervisor's {@code org.hvsim.hv.privcmd.PrivcmdLimits}, which a test checks.
 */
public final class PrivcmdLimits {
    /** Bytes of the big-endian length that precedes every frame. */
    public static final int LENGTH_FIELD_BYTES = 4;

    /**
     * Largest encoded {@code PrivcmdMessage} one frame may carry (length prefix not included):
     * 64 KiB, ten times the largest legitimate message (a Welcome with a PATH_MAX path).
     */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    /** Hypercall arguments a request may carry: the five argument registers of the hypercall ABI. */
    public static final int MAX_HYPERCALL_ARGS = 5;

    /** Longest token (UTF-8 bytes) the hypervisor accepts. */
    public static final int MAX_TOKEN_BYTES = 1024;

    /** Most vCPUs a Welcome may announce for dom0: Xen's MAX_VIRT_CPUS on x86 (8192). */
    public static final int MAX_DOM0_VCPUS = 8192;

    private PrivcmdLimits() {}
}
