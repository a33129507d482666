package org.hvsim.dom0.privcmd;

import java.util.function.Consumer;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;

/**
 * Where the hypervisor's event channel trace batches go: one listener, called on the channel's event
 * loop, which must hand the batch on without blocking. Batches with no listener are dropped.
 * Threads: set from any thread; called on the event loop.
 */
final class TraceListener {
    private volatile Consumer<EvtchnTraceBatch> listener;

    void set(Consumer<EvtchnTraceBatch> newListener) {
        listener = newListener;
    }

    void deliver(EvtchnTraceBatch batch) {
        Consumer<EvtchnTraceBatch> l = listener;
        if (l != null) {
            l.accept(batch);
        }
    }
}
