package org.hvsim.hv.hypercall;

import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.Vcpu;

/**
 * Who makes a hypercall: the calling domain and vCPU. Pointer arguments are guest-physical addresses
 * in the caller's own memory, read through {@link #memory()} (which never preempts: hypervisor code
 * must not be descheduled in the middle of an operation).
 */
public record HypercallContext(Domain domain, Vcpu vcpu) {

    public GuestMemory memory() {
        return domain.hypervisorView();
    }

    /** Whether the vCPU runs here (a domU) rather than in the dom0 process. */
    public boolean isLocal() {
        return !domain.isExternal();
    }
}
