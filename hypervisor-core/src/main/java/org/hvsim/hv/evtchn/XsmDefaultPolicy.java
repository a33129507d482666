package org.hvsim.hv.evtchn;

/**
 * Xen's default XSM policy for event channels ({@code xsm/dummy.h}): {@code XSM_TARGET} operations
 * (alloc_unbound, status, reset) may name the caller's own domain, or any domain when the caller is
 * privileged; bind_interdomain and send ({@code XSM_HOOK}) are always allowed.
 */
final class XsmDefaultPolicy {
    private XsmDefaultPolicy() {}

    /** {@code XSM_TARGET}: whether {@code src} may act on {@code target}. */
    static boolean target(EvtchnDomain src, EvtchnDomain target) {
        return src == target || src.isPrivileged();
    }
}
