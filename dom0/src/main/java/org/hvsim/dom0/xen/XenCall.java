package org.hvsim.dom0.xen;

import java.util.concurrent.CompletableFuture;

/**
 * Makes a hypercall as dom0 (libxencall). Pointer arguments are guest-physical addresses in dom0's
 * memory. Returns the hypercall's result (a negated Xen errno on failure). Thread-safe.
 */
@FunctionalInterface
public interface XenCall {
    long hypercall(int op, long a1, long a2, long a3, long a4, long a5);

    default long hypercall(int op, long a1, long a2) {
        return hypercall(op, a1, a2, 0, 0, 0);
    }

    default long hypercall(int op, long a1) {
        return hypercall(op, a1, 0, 0, 0, 0);
    }

    /**
     * The hypercall, without waiting for its result where the transport allows: the future completes with it
     * on a thread that must not be blocked. Argument memory must stay as it is until the future completes.
     * By default the call is made at once, on the caller's thread.
     */
    default CompletableFuture<Long> hypercallAsync(int op, long a1, long a2) {
        try {
            return CompletableFuture.completedFuture(hypercall(op, a1, a2));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
