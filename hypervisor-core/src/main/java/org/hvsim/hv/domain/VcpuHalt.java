package org.hvsim.hv.domain;

/**
 * Thrown into a vCPU's guest code (at a hypercall return or a preemption point) when its domain is
 * being destroyed, so the vCPU thread unwinds out of the kernel. An Error, so ordinary kernel code
 * does not catch it.
 */
public final class VcpuHalt extends Error {
    private static final long serialVersionUID = 1L;

    VcpuHalt(String vcpu) {
        super(vcpu + " halted: its domain is being destroyed", null, false, false);
    }
}
