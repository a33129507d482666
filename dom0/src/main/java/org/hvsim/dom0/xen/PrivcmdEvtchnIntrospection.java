package org.hvsim.dom0.xen;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.hvsim.dom0.privcmd.PrivcmdClient;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;

/** {@link EvtchnIntrospection} over the privcmd channel. Thread-safe. */
public final class PrivcmdEvtchnIntrospection implements EvtchnIntrospection {
    private final PrivcmdClient client;

    public PrivcmdEvtchnIntrospection(PrivcmdClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<EvtchnQueryResult> query(EvtchnQuery query) {
        return client.queryEvtchn(query);
    }

    @Override
    public void label(int domid, int port, String label) {
        client.labelEvtchn(domid, port, label);
    }

    @Override
    public void trace(Consumer<EvtchnTraceBatch> listener) {
        client.traceEvtchn(listener);
    }
}
