package org.hvsim.dom0.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvsim.dom0.evtchn.EvtchnRateSampler;
import org.hvsim.dom0.evtchn.EvtchnViews;
import org.hvsim.dom0.evtchn.EvtchnWatchHub;
import org.hvsim.dom0.evtchn.EvtchnWatcher;
import org.hvsim.dom0.evtchn.WatchFilter;
import org.hvsim.dom0.toolstack.ConfigException;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.dom0.xen.EventChannelInspector;
import org.hvsim.dom0.xen.XenError;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelServiceGrpc;
import org.hvsim.proto.control.EventChannelSummary;
import org.hvsim.proto.control.GetEventChannelStatusRequest;
import org.hvsim.proto.control.ListEventChannelsRequest;
import org.hvsim.proto.control.ListEventChannelsResponse;
import org.hvsim.proto.control.WatchEventChannelsRequest;
import org.hvsim.proto.control.WatchEventChannelsResponse;
import org.hvsim.proto.privcmd.EvtchnPortInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EventChannelService: lsevtchn's listing and status of any domain's ports, and live watches (each
 * event, or rates per port). Threads: gRPC's virtual threads; each watch sends from a virtual thread
 * of its own.
 */
final class EventChannelServiceImpl extends EventChannelServiceGrpc.EventChannelServiceImplBase {
    /** Most watches at once; more get RESOURCE_EXHAUSTED. */
    static final int MAX_WATCHERS = 4096;
    static final int MIN_SUMMARY_INTERVAL_MS = 100;
    static final int MAX_SUMMARY_INTERVAL_MS = 3_600_000;
    private static final Logger LOG = LoggerFactory.getLogger(EventChannelServiceImpl.class);

    private final Toolstack ts;
    private final EventChannelInspector inspector;
    private final EvtchnWatchHub hub;
    private final AtomicInteger watches = new AtomicInteger();

    EventChannelServiceImpl(Toolstack ts, EventChannelInspector inspector, EvtchnWatchHub hub) {
        this.ts = ts;
        this.inspector = inspector;
        this.hub = hub;
    }

    /** A unary answer that resolves a domain and asks the hypervisor: its refusals as status codes. */
    private interface Lookup<T> {
        T answer() throws ConfigException;
    }

    private static <T> void answer(StreamObserver<T> out, String domain, Lookup<T> lookup) {
        try {
            out.onNext(lookup.answer());
            out.onCompleted();
        } catch (ConfigException e) {
            out.onError(StatusMapper.toStatus(e));
        } catch (XenError e) {
            out.onError(status(e, domain));
        }
    }

    @Override
    public void listEventChannels(ListEventChannelsRequest req, StreamObserver<ListEventChannelsResponse> out) {
        answer(out, req.getDomain(), () -> {
            int domid = ts.resolve(req.getDomain());
            EventChannelInspector.Listing listing = inspector.list(domid);
            ListEventChannelsResponse.Builder b = ListEventChannelsResponse.newBuilder()
                    .setDomid(domid).setName(ts.nameOf(domid)).setMaxPort(listing.maxPort());
            for (EvtchnPortInfo p : listing.ports()) {
                b.addPorts(EvtchnViews.port(domid, p));
            }
            return b.build();
        });
    }

    @Override
    public void getEventChannelStatus(GetEventChannelStatusRequest req, StreamObserver<EventChannel> out) {
        answer(out, req.getDomain(), () -> {
            int domid = ts.resolve(req.getDomain());
            return EvtchnViews.port(domid, inspector.status(domid, req.getPort()));
        });
    }

    @Override
    public void watchEventChannels(WatchEventChannelsRequest req, StreamObserver<WatchEventChannelsResponse> responses) {
        ServerCallStreamObserver<WatchEventChannelsResponse> out =
                (ServerCallStreamObserver<WatchEventChannelsResponse>) responses;
        WatchFilter filter;
        try {
            filter = filter(req);
        } catch (ConfigException e) {
            out.onError(StatusMapper.toStatus(e));
            return;
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        if (watches.incrementAndGet() > MAX_WATCHERS) {
            watches.decrementAndGet();
            out.onError(Status.RESOURCE_EXHAUSTED.withDescription(MAX_WATCHERS + " event channel watches are open already")
                    .asRuntimeException());
            return;
        }
        if (req.getSummaryIntervalMs() > 0) {
            summarize(filter, req.getSummaryIntervalMs(), out);
        } else {
            stream(filter, out);
        }
    }

    private void stream(WatchFilter filter, ServerCallStreamObserver<WatchEventChannelsResponse> out) {
        EvtchnWatcher watcher = new EvtchnWatcher(filter);
        out.setOnCancelHandler(() -> hub.remove(watcher));
        out.setOnReadyHandler(watcher::wake);
        hub.add(watcher);
        Thread.ofVirtual().name("evtchn-watch").start(() -> {
            try {
                WatchEventChannelsResponse next;
                while ((next = watcher.next(out::isReady)) != null) {
                    out.onNext(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("event channel watch ended: {}", e.toString());
            } finally {
                hub.remove(watcher);
                watches.decrementAndGet();
            }
        });
    }

    private void summarize(WatchFilter filter, int intervalMs, ServerCallStreamObserver<WatchEventChannelsResponse> out) {
        CountDownLatch cancelled = new CountDownLatch(1);
        out.setOnCancelHandler(cancelled::countDown);
        Thread.ofVirtual().name("evtchn-rates").start(() -> {
            EvtchnRateSampler sampler = new EvtchnRateSampler();
            try {
                do {
                    EventChannelSummary summary = sampler.sample(ports(filter), System.nanoTime());
                    if (summary != null && out.isReady()) {
                        out.onNext(WatchEventChannelsResponse.newBuilder().setSummary(summary).build());
                    }
                } while (!cancelled.await(intervalMs, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("event channel rate watch ended: {}", e.toString());
            } finally {
                watches.decrementAndGet();
            }
        });
    }

    /** The ports of the watched domains that pass the filter; domains that went away are skipped. */
    private List<EventChannel> ports(WatchFilter filter) {
        Set<Integer> domids = filter.domids();
        if (domids.isEmpty()) {
            domids = new HashSet<>();
            for (GetDomainInfo info : ts.domains()) {
                domids.add(info.domain());
            }
        }
        List<EventChannel> ports = new ArrayList<>();
        for (int domid : domids) {
            try {
                for (EvtchnPortInfo p : inspector.list(domid).ports()) {
                    if (filter.matchesPort(domid, p.getPort())) {
                        ports.add(EvtchnViews.port(domid, p));
                    }
                }
            } catch (XenError gone) {
                // destroyed since the domain list was read
            }
        }
        return ports;
    }

    private WatchFilter filter(WatchEventChannelsRequest req) throws ConfigException {
        int interval = req.getSummaryIntervalMs();
        if (interval != 0 && (interval < MIN_SUMMARY_INTERVAL_MS || interval > MAX_SUMMARY_INTERVAL_MS)) {
            throw Status.INVALID_ARGUMENT.withDescription("summary_interval_ms must be 0 (each event) or "
                    + MIN_SUMMARY_INTERVAL_MS + ".." + MAX_SUMMARY_INTERVAL_MS + ", not " + Integer.toUnsignedString(interval))
                    .asRuntimeException();
        }
        Set<Integer> domids = new HashSet<>();
        for (String d : req.getDomainsList()) {
            domids.add(ts.resolve(d));
        }
        Set<EventChannelActivityKind> kinds = new HashSet<>();
        for (EventChannelActivityKind k : req.getKindsList()) {
            if (k == EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_UNSPECIFIED || k == EventChannelActivityKind.UNRECOGNIZED) {
                throw Status.INVALID_ARGUMENT.withDescription("unknown event channel activity kind " + k)
                        .asRuntimeException();
            }
            kinds.add(k);
        }
        return new WatchFilter(domids, new HashSet<>(req.getPortsList()), kinds);
    }

    /** NOT_FOUND for -ESRCH (the domain went away), INVALID_ARGUMENT for -EINVAL (a bad port). */
    private static StatusRuntimeException status(XenError e, String domain) {
        return switch (e.errno()) {
            case Errno.ESRCH -> Status.NOT_FOUND.withDescription("Domain '" + domain + "' does not exist.")
                    .asRuntimeException();
            case Errno.EINVAL -> Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
            default -> Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
        };
    }
}
