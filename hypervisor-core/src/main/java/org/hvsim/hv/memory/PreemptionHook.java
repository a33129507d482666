package org.hvsim.hv.memory;

/**
 * Called once at the start of every access through a {@link DomainGuestMemory}, on the accessing
 * thread and before any frame is translated. A guest-facing view's hook may deschedule the vCPU (a
 * preemption point, like a timer interrupt honoured there); hypervisor-internal views use
 * {@link #NONE}. A hook must not call back into the memory subsystem.
 */
@FunctionalInterface
public interface PreemptionHook {
    /** A hook that never preempts. */
    PreemptionHook NONE = () -> { };

    void check();
}
