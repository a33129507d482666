package org.hvsim.hv.concurrent;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test-and-test-and-set lock that never parks. Locks that pCPU threads take and vCPU threads also
 * take must be of this kind: a vCPU thread that parked waiting for such a lock would leave its pCPU,
 * and if the pCPU then queued for the same lock behind it, neither could proceed (a parking lock
 * wakes its first waiter, which needs the pCPU, which waits). Critical sections under a SpinLock
 * must be short and must never block or park. Not reentrant. Threads: any.
 */
public final class SpinLock {
    private static final int SPINS_BEFORE_YIELD = 1 << 10;

    private final AtomicBoolean held = new AtomicBoolean();

    public void lock() {
        if (held.compareAndSet(false, true)) {
            return;
        }
        boolean platform = !Thread.currentThread().isVirtual();
        int spins = 0;
        do {
            while (held.getPlain()) {
                Thread.onSpinWait();
                // A platform thread may give its core away; a virtual thread must not (Thread.yield
                // would unmount it from its pCPU, the situation this lock exists to avoid).
                if (platform && ++spins % SPINS_BEFORE_YIELD == 0) {
                    Thread.yield();
                }
            }
        } while (!held.compareAndSet(false, true));
    }

    public boolean tryLock() {
        return !held.getPlain() && held.compareAndSet(false, true);
    }

    public void unlock() {
        held.setRelease(false);
    }

    public boolean isHeld() {
        return held.get();
    }
}
