package org.hvsim.hv.privcmd;

/**
 * Executes the hypercalls dom0 makes over the privcmd channel; the hypervisor's dispatcher behind it.
 * Each call runs on a virtual thread of its own, so an implementation may block; calls from dom0's
 * vCPUs and threads run concurrently.
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
}
