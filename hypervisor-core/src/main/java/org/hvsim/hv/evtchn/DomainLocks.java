package org.hvsim.hv.evtchn;

/**
 * Taking two domains' event locks without deadlock: the lower domid first (ties, which only stale
 * references could produce, broken by identity hash). The one global lock order is: global VIRQ
 * handler lock, then domain event locks in this order, then channel locks in
 * {@link EventChannel#lockOrder}.
 *
 * <p>Threads: any; stateless.
 */
final class DomainLocks {
    private DomainLocks() {}

    /** Whether {@code a}'s event lock is taken before {@code b}'s. */
    static boolean before(EvtchnDomain a, EvtchnDomain b) {
        if (a.domid() != b.domid()) {
            return a.domid() < b.domid();
        }
        return System.identityHashCode(a) < System.identityHashCode(b);
    }

    /** Locks both domains' event locks (once if they are the same domain). */
    static void lockBoth(EvtchnDomain a, EvtchnDomain b) {
        if (a == b) {
            a.eventChannels().lock().lock();
            return;
        }
        EvtchnDomain first = before(a, b) ? a : b;
        EvtchnDomain second = first == a ? b : a;
        first.eventChannels().lock().lock();
        second.eventChannels().lock().lock();
    }

    static void unlockBoth(EvtchnDomain a, EvtchnDomain b) {
        if (a != b) {
            b.eventChannels().lock().unlock();
        }
        a.eventChannels().lock().unlock();
    }
}
