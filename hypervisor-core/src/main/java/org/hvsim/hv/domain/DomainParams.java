package org.hvsim.hv.domain;

/**
 * What XEN_DOMCTL_createdomain asks for, validated: the domain id (0 = the next free one), the UUID
 * handle, the vCPU, event-channel and grant-table limits, and whether the domain is privileged (dom0)
 * and external (its vCPUs run in another process, as dom0's do).
 */
public record DomainParams(int domid, byte[] handle, int ssidref, int maxVcpus, int maxEvtchnPort,
        int maxGrantFrames, int maxMaptrackFrames, boolean privileged, boolean external) {

    /** vcpu_info for vCPUs 0..31 lives in shared_info; hvsim does not implement VCPUOP_register_vcpu_info. */
    public static final int MAX_VCPUS = 32;

    public DomainParams {
        handle = handle.clone();
        if (handle.length != 16) {
            throw new IllegalArgumentException("the domain handle (UUID) is 16 bytes, got " + handle.length);
        }
    }

    @Override
    public byte[] handle() {
        return handle.clone();
    }
}
