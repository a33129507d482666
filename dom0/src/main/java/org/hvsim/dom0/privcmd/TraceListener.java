package org.hvsim.dom0.privcmd;

import java.util.function.Consumer;

/**
 * Where one of the hypervisor's traces (event channel or scheduler) sends its batches: one listener,
 * called on the channel's event loop, which must hand the batch on without blocking. Batches with no
 * listener are dropped.
 * Threads: set from any thread; called on the event loop.
 *
 * @param <B> the batch message
 */
final class TraceListener<B> {
    private volatile Consumer<B> listener;

    void set(Consumer<B> newListener) {
        listener = newListener;
    }

    void deliver(B batch) {
        Consumer<B> l = listener;
        if (l != null) {
            l.accept(batch);
        }
    }
}
