package org.hvsim.dom0.xen;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;

/**
 * How dom0 asks the hypervisor about event channels beyond what hypercalls show (the privcmd
 * channel's EvtchnQuery, EvtchnLabel and EvtchnTraceControl messages). Thread-safe.
 */
public interface EvtchnIntrospection {
    /** A snapshot of some of a domain's ports; completes exceptionally if the channel closes. */
    CompletableFuture<EvtchnQueryResult> query(EvtchnQuery query);

    /** Says what a bound port is for; no answer. */
    void label(int domid, int port, String label);

    /** Starts the trace with {@code listener} (which must not block), or stops it ({@code null}). */
    void trace(Consumer<EvtchnTraceBatch> listener);
}
