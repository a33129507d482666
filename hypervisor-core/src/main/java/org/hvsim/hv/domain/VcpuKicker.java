package org.hvsim.hv.domain;

/**
 * How a domain's vCPU is told that an event is pending: unblocking its thread for a domain whose
 * kernel runs in the hypervisor, an upcall over the privcmd channel for dom0.
 */
@FunctionalInterface
public interface VcpuKicker {
    void kick(int vcpu);
}
