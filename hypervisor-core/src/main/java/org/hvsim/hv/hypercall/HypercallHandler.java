package org.hvsim.hv.hypercall;

/**
 * One entry of the hypercall table. Returns the hypercall's result: ≥ 0 on success, a negated Xen
 * errno on failure. A {@link org.hvsim.hv.abi.GuestMemoryFault} thrown while reading or writing the
 * caller's memory becomes -EFAULT in the dispatcher.
 */
@FunctionalInterface
public interface HypercallHandler {
    long call(HypercallContext ctx, long a1, long a2, long a3, long a4, long a5);
}
