package org.hvsim.dom0.xen;

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
}
