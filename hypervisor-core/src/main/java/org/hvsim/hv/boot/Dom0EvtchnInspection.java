package org.hvsim.hv.boot;

import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ESRCH;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.DomainTable;
import org.hvsim.hv.evtchn.EventChannelManager;
import org.hvsim.hv.evtchn.PortStatus;
import org.hvsim.hv.evtchn.trace.TraceBatch;
import org.hvsim.hv.privcmd.PrivcmdLimits;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnPortInfo;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;

/**
 * dom0's view of event channels over the privcmd channel: snapshots of any domain's ports (the
 * privileged EVTCHNOP_status, many ports at once, with counters and labels), labels, and the trace.
 *
 * <p>Threads: queries and labels on privcmd virtual threads, trace control on the privcmd event
 * loop, concurrently.
 */
public final class Dom0EvtchnInspection {
    private final DomainTable domains;
    private final EventChannelManager evtchn;

    public Dom0EvtchnInspection(DomainTable domains, EventChannelManager evtchn) {
        this.domains = domains;
        this.evtchn = evtchn;
    }

    public EvtchnQueryResult queryEvtchn(EvtchnQuery query) {
        EvtchnQueryResult.Builder result = EvtchnQueryResult.newBuilder().setId(query.getId());
        Domain d = find(query.getDomid());
        if (d == null) {
            return result.setError(-ESRCH).build();
        }
        result.setMaxPort(d.eventChannels().maxPort());
        int port = query.getPort();
        if (query.getSingle()) {
            Optional<PortStatus> status = port < 0 ? Optional.empty() : evtchn.status(d, port);
            if (status.isEmpty()) {
                return result.setError(-EINVAL).build();
            }
            return result.addPorts(info(status.get())).build();
        }
        if (port < 0) {
            return result.build(); // beyond every port: nothing from there on
        }
        List<PortStatus> ports = evtchn.list(d, port, PrivcmdLimits.MAX_QUERY_PORTS);
        ports.forEach(p -> result.addPorts(info(p)));
        if (ports.size() == PrivcmdLimits.MAX_QUERY_PORTS) {
            result.setNextPort(ports.getLast().port() + 1);
        }
        return result.build();
    }

    public void labelEvtchn(EvtchnLabel label) {
        Domain d = find(label.getDomid());
        if (d != null && label.getPort() >= 0) {
            evtchn.label(d, label.getPort(), label.getLabel());
        }
    }

    public void traceEvtchn(Consumer<EvtchnTraceBatch> sink) {
        if (sink == null) {
            evtchn.trace().stop();
        } else {
            evtchn.trace().start(batch -> sink.accept(toMessage(batch)));
        }
    }

    /** The domain {@code domid} names (a uint32 from dom0), or null. */
    private Domain find(int domid) {
        return domid >= 0 && domid < DomId.FIRST_RESERVED ? domains.find(domid) : null;
    }

    private static EvtchnPortInfo info(PortStatus p) {
        return EvtchnPortInfo.newBuilder()
                .setPort(p.port())
                .setStatus(p.statusCode())
                .setVcpu(p.notifyVcpu())
                .setRemoteDomid(p.remoteDomid() == DomId.INVALID ? 0 : p.remoteDomid())
                .setRemotePort(p.remotePort())
                .setVirq(Math.max(p.virq(), 0))
                .setXenAttached(p.xenAttached())
                .setPending(p.pending())
                .setMasked(p.masked())
                .setLabel(p.label())
                .setSends(p.counts().sends())
                .setPendingEdges(p.counts().pendingEdges())
                .setUpcalls(p.counts().upcalls())
                .setMaskedDrops(p.counts().maskedDrops())
                .setCoalesced(p.counts().coalesced())
                .build();
    }

    private static EvtchnTraceBatch toMessage(TraceBatch batch) {
        EvtchnTraceBatch.Builder b = EvtchnTraceBatch.newBuilder()
                .setDropped(batch.dropped())
                .setClockOffsetUnixNanos(batch.clockOffsetUnixNanos())
                .putAllLabels(batch.labels());
        for (long w : batch.words()) {
            b.addWords(w);
        }
        return b.build();
    }
}
