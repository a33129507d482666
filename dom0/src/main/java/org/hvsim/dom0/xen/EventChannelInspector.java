package org.hvsim.dom0.xen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.hvsim.dom0.privcmd.PrivcmdClosedException;
import org.hvsim.proto.privcmd.EvtchnPortInfo;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;

/**
 * What dom0's tools see of any domain's event channels: its ports with state, bits, counters and
 * labels (the privileged EVTCHNOP_status of every port at once), and the live trace. Thread-safe.
 */
public final class EventChannelInspector {
    /** Queries one listing may take: 4095 ports at 512 a query need 8. */
    private static final int MAX_QUERIES = 16;

    private final EvtchnIntrospection hv;

    public EventChannelInspector(EvtchnIntrospection hv) {
        this.hv = hv;
    }

    /**
     * Every port of {@code domid} in use, port 0 excluded, in port order.
     *
     * @throws XenError -ESRCH for an unknown domain
     */
    public Listing list(int domid) {
        List<EvtchnPortInfo> ports = new ArrayList<>();
        int from = 1;
        int maxPort = 0;
        for (int i = 0; i < MAX_QUERIES; i++) {
            EvtchnQueryResult r = ask(EvtchnQuery.newBuilder().setDomid(domid).setPort(from).build(),
                    "event channel list of d" + domid);
            maxPort = r.getMaxPort();
            ports.addAll(r.getPortsList());
            if (r.getNextPort() == 0) {
                return new Listing(maxPort, ports);
            }
            from = r.getNextPort();
        }
        return new Listing(maxPort, ports);
    }

    /**
     * Port {@code port} of {@code domid}, whatever its state.
     *
     * @throws XenError -ESRCH for an unknown domain, -EINVAL for a port beyond the domain's table
     */
    public EvtchnPortInfo status(int domid, int port) {
        EvtchnQueryResult r = ask(EvtchnQuery.newBuilder().setDomid(domid).setSingle(true).setPort(port).build(),
                "event channel status of d" + domid + " port " + Integer.toUnsignedString(port));
        return r.getPorts(0);
    }

    /** Says what port {@code port} of {@code domid} is for. */
    public void label(int domid, int port, String label) {
        hv.label(domid, port, label);
    }

    /** Starts ({@code listener}) or stops ({@code null}) the hypervisor's event channel trace. */
    public void trace(Consumer<EvtchnTraceBatch> listener) {
        hv.trace(listener);
    }

    private EvtchnQueryResult ask(EvtchnQuery query, String what) {
        EvtchnQueryResult r;
        try {
            r = hv.query(query).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof PrivcmdClosedException closed) {
                throw closed;
            }
            throw e;
        }
        if (r.getError() != 0) {
            throw new XenError(what, r.getError());
        }
        return r;
    }

    /**
     * @param maxPort the highest port the domain may use
     * @param ports   its ports in use, in port order
     */
    public record Listing(int maxPort, List<EvtchnPortInfo> ports) {}
}
