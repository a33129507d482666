package org.hvsim.hv.privcmd;

/** Why the server closed a privcmd connection; each has a counter in {@link PrivcmdCounters}. */
public enum CloseReason {
    /** A frame's length exceeds {@link PrivcmdLimits#MAX_FRAME_BYTES}. */
    OVERSIZED_FRAME,
    /** A frame's bytes are not a PrivcmdMessage. */
    MALFORMED_FRAME,
    /** The first message is not a Hello. */
    NOT_HELLO,
    /** The Hello's token is not the one the hypervisor gave dom0. */
    BAD_TOKEN,
    /** No Hello arrived within the configured time. */
    HELLO_TIMEOUT,
    /** An authenticated dom0 arrived while another dom0 session is alive. */
    SESSION_BUSY,
    /** After the handshake, a message that is not a hypercall request. */
    UNEXPECTED_MESSAGE,
    /** A hypercall request with more than {@link PrivcmdLimits#MAX_HYPERCALL_ARGS} arguments. */
    TOO_MANY_ARGS,
    /** A hypercall request from a vCPU dom0 does not have. */
    BAD_VCPU,
    /** The hypervisor side failed (the Welcome supplier or a hypercall handler threw). */
    HOST_FAULT
}
