package org.hvsim.hv.evtchn;

import org.hvsim.hv.abi.GuestMemory;

/**
 * What event channels need of a domain. Implemented by the hypervisor's Domain.
 *
 * <p>Threads: any hypervisor thread may call these methods concurrently. {@link #vcpuKick} and
 * {@link #checkPollers} are called while event channel locks are held (as Xen calls
 * {@code vcpu_kick} and {@code evtchn_check_pollers}): they must not call back into
 * {@link EventChannelManager} operations that bind, close or reset channels, and no thread may call
 * {@link EventChannelManager} while holding a lock these two methods take.
 */
public interface EvtchnDomain {

    int domid();

    /** dom0: may name other domains in alloc_unbound, status and reset (XSM default policy). */
    boolean isPrivileged();

    /** Set once destruction starts; no port can be allocated in a dying domain. */
    boolean isDying();

    /**
     * Whether the toolstack holds a pause on the domain ({@code controller_pause_count > 0}).
     * {@code EVTCHNOP_reset} of another domain is allowed only then.
     */
    boolean isControllerPaused();

    /** vCPU ids {@code 0..maxVcpus()-1} exist; at most 32, as vcpu_info lives in shared_info. */
    int maxVcpus();

    /** The shared_info page, offsets per {@link org.hvsim.hv.abi.SharedInfo}, base 0. */
    GuestMemory sharedInfo();

    /** This domain's table, created with {@code new EventChannels(this, maxPort)}. */
    EventChannels eventChannels();

    /** {@code evtchn_upcall_pending} of {@code vcpu} just went 0→1: make the vCPU notice. */
    void vcpuKick(int vcpu);

    /** {@code port} just became pending: wake vCPUs blocked in {@code SCHEDOP_poll} on it. */
    void checkPollers(int port);
}
