package org.hvsim.hv.time;

import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.hv.concurrent.SpinLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hypervisor's timers (Xen's {@code struct timer}): one-shot callbacks at an absolute system time.
 * Callbacks run on the single timer thread, in deadline order, and must be short and non-blocking
 * (they raise events and flags). Threads: any thread arms and cancels (vCPU threads included: the lock
 * is a {@link SpinLock}); the "hv-timer" thread fires.
 */
public final class TimerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimerService.class);
    /** Waits shorter than this are spun rather than parked: a park costs tens of µs on these VMs. */
    private static final long SPIN_NS = 20_000;

    private final HvClock clock;
    private final SpinLock lock = new SpinLock();
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long sequence;

    public TimerService(HvClock clock) {
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("hv-timer").daemon().unstarted(this::run);
        this.thread.start();
    }

    /** A timer that can be (re)armed and cancelled; at most one pending expiry at a time. */
    public Timer newTimer(Runnable callback) {
        return new Timer(callback);
    }

    private void run() {
        while (running) {
            Runnable due = null;
            long waitNs;
            lock.lock();
            try {
                Timer head = queue.peek();
                long now = clock.now();
                if (head != null && head.deadline <= now) {
                    queue.poll();
                    head.queued = false;
                    due = head.callback;
                    waitNs = 0;
                } else {
                    waitNs = head == null ? 100_000_000L : head.deadline - now;
                }
            } finally {
                lock.unlock();
            }
            if (due != null) {
                try {
                    due.run();
                } catch (RuntimeException e) {
                    LOG.error("timer callback failed", e);
                }
            } else if (waitNs < SPIN_NS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, waitNs - SPIN_NS / 2);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One timer. Thread-safe. */
    public final class Timer implements Comparable<Timer> {
        private final Runnable callback;
        private long deadline;
        private long order;
        private boolean queued;

        private Timer(Runnable callback) {
            this.callback = callback;
        }

        /** Arms the timer to fire at system time {@code deadline} (now or in the past: at once). */
        public void set(long deadline) {
            boolean wake;
            lock.lock();
            try {
                if (queued) {
                    queue.remove(this);
                }
                this.deadline = deadline;
                this.order = sequence++;
                queued = true;
                queue.add(this);
                wake = queue.peek() == this;
            } finally {
                lock.unlock();
            }
            if (wake) {
                LockSupport.unpark(thread);
            }
        }

        /** Disarms the timer; a callback already running is not interrupted. */
        public void stop() {
            lock.lock();
            try {
                if (queued) {
                    queue.remove(this);
                    queued = false;
                }
            } finally {
                lock.unlock();
            }
        }

        public boolean isActive() {
            lock.lock();
            try {
                return queued;
            } finally {
                lock.unlock();
            }
        }

        /** The deadline of the pending expiry (meaningful when {@link #isActive()}). */
        public long deadline() {
            lock.lock();
            try {
                return deadline;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
