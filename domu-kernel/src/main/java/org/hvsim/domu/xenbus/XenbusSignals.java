package org.hvsim.domu.xenbus;

import org.hvsim.domu.cpu.PerCpu;

/**
 * How the client signals and waits: the store event channel towards xenstored, and the calling vCPU's own
 * blocking. The kernel's implementation is {@link StoreEventChannel}; tests put a stand-in for the
 * hypervisor here.
 */
public interface XenbusSignals {

    /** Tells xenstored the ring changed ({@code notify_remote_via_evtchn} on the store port). */
    void notifyXenstored(PerCpu cpu);

    /**
     * Blocks {@code cpu} until an event arrives for it ({@code SCHEDOP_block}); returns at once if one is
     * already pending. Its event handlers (the store port's among them) have run on return.
     */
    void block(PerCpu cpu);

    /** Ends vCPU {@code vcpu}'s {@link #block}, from {@code cpu} (an IPI). */
    void wake(PerCpu cpu, int vcpu);
}
