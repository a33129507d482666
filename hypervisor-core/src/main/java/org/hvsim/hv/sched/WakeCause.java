package org.hvsim.hv.sched;

/** Why a unit became runnable; policies may treat them differently (credit boosts only BLOCK_ENDED). */
public enum WakeCause {
    /** First time the vCPU can run (vCPU brought up). */
    STARTED,
    /** An event or timer ended SCHEDOP_block or SCHEDOP_poll. */
    BLOCK_ENDED,
    /** The toolstack or the hypervisor unpaused it, or it came back up. */
    UNPAUSED,
    /** It waited on a hypervisor lock or timed park inside a hypercall and may go on. */
    INTERNAL
}
