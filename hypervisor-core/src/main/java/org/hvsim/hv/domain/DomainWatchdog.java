package org.hvsim.hv.domain;

import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.time.TimerService;

/**
 * SCHEDOP_watchdog (Xen's domain_watchdog): up to two watchdog timers per domain. Id 0 creates one
 * (returns its id), a timeout pokes it, timeout 0 destroys it; when one expires the domain is shut
 * down with SHUTDOWN_watchdog. Threads: any; state is guarded by this object.
 */
final class DomainWatchdog {
    static final int NR_TIMERS = 2;
    private static final long NS_PER_S = 1_000_000_000L;

    private final Hypervisor hv;
    private final Domain domain;
    private final TimerService.Timer[] timers = new TimerService.Timer[NR_TIMERS];
    private final boolean[] inUse = new boolean[NR_TIMERS];

    DomainWatchdog(Hypervisor hv, Domain domain) {
        this.hv = hv;
        this.domain = domain;
        for (int i = 0; i < NR_TIMERS; i++) {
            int id = i + 1;
            timers[i] = hv.timers().newTimer(() -> fired(id));
        }
    }

    synchronized int op(int id, int timeoutSeconds) {
        if (id < 0 || id > NR_TIMERS) {
            return -Errno.EINVAL;
        }
        long deadline = hv.clock().now() + Integer.toUnsignedLong(timeoutSeconds) * NS_PER_S;
        if (id == 0) {
            for (int i = 0; i < NR_TIMERS; i++) {
                if (!inUse[i]) {
                    inUse[i] = true;
                    timers[i].set(deadline);
                    return i + 1;
                }
            }
            return -Errno.ENOSPC;
        }
        int i = id - 1;
        if (!inUse[i]) {
            return -Errno.EINVAL;
        }
        if (timeoutSeconds == 0) {
            timers[i].stop();
            inUse[i] = false;
        } else {
            timers[i].set(deadline);
        }
        return 0;
    }

    synchronized void stopAll() {
        for (int i = 0; i < NR_TIMERS; i++) {
            timers[i].stop();
            inUse[i] = false;
        }
    }

    private void fired(int id) {
        hv.console().printk("Watchdog timer " + id + " fired for domain " + domain.domid());
        domain.shutdown(ShutdownReason.WATCHDOG.code());
    }
}
