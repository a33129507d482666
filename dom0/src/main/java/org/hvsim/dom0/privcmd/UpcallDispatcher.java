package org.hvsim.dom0.privcmd;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands event upcalls to dom0's listener, in arrival order, one call at a time, on a virtual thread
 * of its own ({@code privcmd-upcalls}), never on netty's event loop. At most one upcall per vCPU
 * waits: one arriving for a vCPU that is already waiting adds nothing, since the listener scans all
 * of that vCPU's pending events. A vCPU stops waiting just before the listener is called for it, so
 * an upcall arriving during the call is delivered again. Upcalls that arrive before a listener is
 * set wait for it.
 * Threads: {@link #raise} on netty's event loop; {@link #start}, {@link #stop} and {@link #close} from
 * any thread ({@link #close} waits, so not from the event loop).
 */
final class UpcallDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(UpcallDispatcher.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(2);

    private final AtomicIntegerArray waiting = new AtomicIntegerArray(PrivcmdLimits.MAX_DOM0_VCPUS);
    private final LinkedBlockingQueue<Integer> order = new LinkedBlockingQueue<>();
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private volatile boolean closed;

    /** Queues an upcall for {@code vcpu} (already checked against dom0's vCPUs) unless one waits. */
    void raise(int vcpu) {
        if (waiting.compareAndSet(vcpu, 0, 1)) {
            order.add(vcpu);
        }
    }

    /**
     * Starts delivering upcalls to {@code listener}.
     *
     * @throws IllegalStateException if a listener was set already
     */
    void start(Consumer<Integer> listener) {
        Thread dispatcher = Thread.ofVirtual().name("privcmd-upcalls").unstarted(() -> run(listener));
        if (!thread.compareAndSet(null, dispatcher)) {
            throw new IllegalStateException("an upcall listener is already set");
        }
        dispatcher.start();
    }

    /** Stops delivering, without waiting: the listener call in progress, if any, finishes. */
    void stop() {
        closed = true;
        Thread dispatcher = thread.get();
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
    }

    /** Stops delivering and waits briefly for a listener call in progress (unless called from it). */
    void close() {
        stop();
        Thread dispatcher = thread.get();
        if (dispatcher == null || dispatcher == Thread.currentThread()) {
            return;
        }
        try {
            if (!dispatcher.join(JOIN_TIMEOUT)) {
                LOG.warn("the privcmd upcall listener is still running {} after the channel closed", JOIN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Consumer<Integer> listener) {
        while (!closed) {
            int vcpu;
            try {
                vcpu = order.take();
            } catch (InterruptedException e) {
                return;
            }
            waiting.set(vcpu, 0);
            try {
                listener.accept(vcpu);
            } catch (RuntimeException e) {
                LOG.warn("the privcmd upcall listener failed on vCPU {}", vcpu, e);
            }
        }
    }
}
