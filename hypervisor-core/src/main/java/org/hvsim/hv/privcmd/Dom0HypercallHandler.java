package org.hvsim.hv.privcmd;

/**
 * Executes the hypercalls dom0 makes over the privcmd channel; the hypervisor's dispatcher behind it.
 * A call that may wait runs on a virtual thread of its own, and calls from dom0's vCPUs and threads run
 * concurrently; a call that {@link #neverWaits} runs on the channel's event loop instead, which
 * saves the two thread hand-offs (to the virtual thread and back) that otherwise double its round trip.
 */
@FunctionalInterface
public interface Dom0HypercallHandler {
    /**
     * Runs one hypercall. Must not throw: an exception is a hypervisor fault, which is logged and
     * ends the dom0 session (dom0's outstanding calls fail and it has to reconnect).
     *
     * @param vcpu the dom0 vCPU making the call, already checked to be below the Welcome's nr_vcpus
     * @param op the hypercall number as dom0 sent it (the bits of a uint32), not checked against the
     *     hypercall table: an unknown number is the dispatcher's -ENOSYS
     * @param args always five values, as in the five argument registers; those dom0 did not send are 0
     * @return the result: {@code >= 0} on success, a negated Xen errno on failure
     */
    long hypercall(int vcpu, int op, long[] args);

    /**
     * Whether this call ({@code op} and {@code args} as dom0 sent them) finishes without waiting: no
     * scheduler wait, no sleep, no lock that a waiting thread may hold, so that running it on the event loop
     * delays nothing else for more than its own short run. False by default: such calls get a virtual
     * thread. Called on the event loop just before {@link #hypercall}.
     */
    default boolean neverWaits(int op, long[] args) {
        return false;
    }
}
