package org.hvsim.hv.privcmd;

/**
 * Bounds of the privcmd wire protocol ({@code privcmd.proto}). dom0's client keeps the same values in
 * {@code org.hvsim.dom0.privcmd.PrivcmdLimits}; a test checks that the two agree.
 */
public final class PrivcmdLimits {
    /** Bytes of the big-endian length that precedes every frame. */
    public static final int LENGTH_FIELD_BYTES = 4;

    /**
     * Largest encoded {@code PrivcmdMessage} one frame may carry, the length prefix not included:
     * 64 KiB. The largest legitimate message is a Welcome, whose machine-memory path is at most
     * {@link #MAX_PATH_BYTES} and whose P2M frame list has at most {@link #MAX_P2M_FRAMES} entries
     * (at most 10 bytes each); a Hello carries at most {@link #MAX_TOKEN_BYTES} of token; a hypercall
     * request is under 100 bytes. 64 KiB leaves ten times the room those need, and is what one
     * connection can make the frame decoder buffer before it is cut off.
     */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    /** Hypercall arguments a request may carry: the five argument registers of the hypercall ABI. */
    public static final int MAX_HYPERCALL_ARGS = 5;

    /** Longest token (UTF-8 bytes) the server accepts as its secret. */
    public static final int MAX_TOKEN_BYTES = 1024;

    /** Longest machine-memory path (UTF-8 bytes) a Welcome may carry: Linux's PATH_MAX. */
    public static final int MAX_PATH_BYTES = 4096;

    /**
     * Most P2M-list frames a Welcome may list: 4096 frames of 512 entries map 8 GiB of dom0 memory,
     * and 4096 varints of at most 10 bytes keep the Welcome far below {@link #MAX_FRAME_BYTES}.
     */
    public static final int MAX_P2M_FRAMES = 4096;

    /** Most vCPUs a Welcome may announce for dom0: Xen's MAX_VIRT_CPUS on x86 (8192). */
    public static final int MAX_DOM0_VCPUS = 8192;

    /** Default bound on the hypercalls of one session that run at once (see PrivcmdServerConfig). */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    /**
     * Most ports one EvtchnQueryResult carries: 512 ports of at most ~110 bytes each stay below
     * {@link #MAX_FRAME_BYTES}; a domain's 4095 ports take eight queries.
     */
    public static final int MAX_QUERY_PORTS = 512;

    /** Longest port label (UTF-8 bytes) an EvtchnLabel may carry; longer ones are ignored. */
    public static final int MAX_LABEL_BYTES = org.hvsim.hv.evtchn.PortLabels.MAX_LABEL_BYTES;

    private PrivcmdLimits() {}
}
