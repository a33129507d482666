package org.hvsim.hv.evtchn;

/**
 * The hypervisor's handler for a Xen-attached port ({@code xen_event_channel_notification_t}): the
 * remote end sent an event that the hypervisor, not the guest owning the port, consumes.
 *
 * <p>Threads: called on the sender's thread with no event channel lock held.
 */
@FunctionalInterface
public interface XenConsumer {

    /** The remote end of {@code port} in {@code domain} sent; {@code vcpu} is the port's notify vCPU. */
    void notified(EvtchnDomain domain, int vcpu, int port);
}
