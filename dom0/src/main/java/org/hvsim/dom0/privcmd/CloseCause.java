package org.hvsim.dom0.privcmd;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Why the channel closed, as the first party to know put it; what {@link PrivcmdClosedException}s
 * say. Threads: any.
 */
final class CloseCause {
    private final AtomicReference<String> reason = new AtomicReference<>();

    /** Records {@code why}, unless a reason was recorded already. */
    void offer(String why) {
        reason.compareAndSet(null, why);
    }

    String describe() {
        String why = reason.get();
        return "privcmd channel closed: " + (why != null ? why : "the hypervisor closed the connection");
    }
}
