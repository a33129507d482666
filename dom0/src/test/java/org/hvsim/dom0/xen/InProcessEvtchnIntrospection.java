package org.hvsim.dom0.xen;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.boot.Dom0EvtchnInspection;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;

/** {@link EvtchnIntrospection} straight into an in-process hypervisor's own inspection code. */
final class InProcessEvtchnIntrospection implements EvtchnIntrospection {
    private final Dom0EvtchnInspection hv;

    InProcessEvtchnIntrospection(Hypervisor hypervisor) {
        this.hv = new Dom0EvtchnInspection(hypervisor.domains(), hypervisor.evtchn());
    }

    @Override
    public CompletableFuture<EvtchnQueryResult> query(EvtchnQuery query) {
        return CompletableFuture.completedFuture(hv.queryEvtchn(query));
    }

    @Override
    public void label(int domid, int port, String label) {
        hv.labelEvtchn(EvtchnLabel.newBuilder().setDomid(domid).setPort(port).setLabel(label).build());
    }

    @Override
    public void trace(Consumer<EvtchnTraceBatch> listener) {
        hv.traceEvtchn(listener);
    }
}
