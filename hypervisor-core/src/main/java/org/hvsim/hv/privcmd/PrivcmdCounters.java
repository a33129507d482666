package org.hvsim.hv.privcmd;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link PrivcmdServer} has seen since it started.
 * Threads: incremented on the event loop and hypercall threads, read from any thread.
 */
public final class PrivcmdCounters {
    private final Map<CloseReason, LongAdder> closed = new EnumMap<>(CloseReason.class);
    private final LongAdder sessions = new LongAdder();
    private final LongAdder hypercalls = new LongAdder();

    PrivcmdCounters() {
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, new LongAdder());
        }
    }

    /** Connections closed for {@code reason}. */
    public long closed(CloseReason reason) {
        return closed.get(reason).sum();
    }

    /** Connections closed for any reason a peer or the host is at fault for. */
    public long closedTotal() {
        return closed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** dom0 sessions accepted (Hello with the right token, Welcome sent). */
    public long sessions() {
        return sessions.sum();
    }

    /** Hypercalls handed to the handler. */
    public long hypercalls() {
        return hypercalls.sum();
    }

    void countClosed(CloseReason reason) {
        closed.get(reason).increment();
    }

    void countSession() {
        sessions.increment();
    }

    void countHypercall() {
        hypercalls.increment();
    }
}
