package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.EventChannelRate;
import org.hvsim.proto.control.EventChannelServiceGrpc;
import org.hvsim.proto.control.EventChannelState;
import org.hvsim.proto.control.GetEventChannelStatusRequest;
import org.hvsim.proto.control.ListEventChannelsRequest;
import org.hvsim.proto.control.ListEventChannelsResponse;
import org.hvsim.proto.control.WatchEventChannelsRequest;
import org.hvsim.proto.control.WatchEventChannelsResponse;
import org.junit.jupiter.api.Test;

/**
 * Event channels as the control plane shows them on a live host: a guest's console and xenstore
 * ports connected to dom0's (both ends agreeing, labelled), the status errors, and live watches of a
 * busy guest (each event, and rates from the per-port counters), which end cleanly when the client goes.
 */
class EventChannelsIT extends HostPerClass {

    private static EventChannelServiceGrpc.EventChannelServiceBlockingStub evtchn() {
        return EventChannelServiceGrpc.newBlockingStub(host.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static ListEventChannelsResponse list(String domain) {
        return evtchn().listEventChannels(ListEventChannelsRequest.newBuilder().setDomain(domain).build());
    }

    private static EventChannel labelled(ListEventChannelsResponse r, String label) {
        return r.getPortsList().stream().filter(p -> p.getLabel().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no port labelled " + label + " in " + r));
    }

    @Test
    void aGuestsConsoleAndXenstorePortsAreConnectedToDom0sAndLabelled() throws Exception {
        int domid = guests.create("evt-idle", "idle");
        guests.awaitConsole("evt-idle", "idle");
        ListEventChannelsResponse guest = list("evt-idle");
        assertEquals(domid, guest.getDomid());
        assertEquals("evt-idle", guest.getName());
        assertEquals(1023, guest.getMaxPort(), "libxl's default max_event_channels");
        ListEventChannelsResponse dom0 = list("0");
        assertEquals("Domain-0", dom0.getName());
        Map<Integer, EventChannel> dom0Ports = dom0.getPortsList().stream()
                .collect(Collectors.toMap(EventChannel::getPort, Function.identity()));
        for (String what : List.of("console", "xenstore")) {
            EventChannel p = labelled(guest, what);
            assertEquals(EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN, p.getState(), what);
            assertEquals(0, p.getRemoteDomid(), what);
            EventChannel peer = dom0Ports.get(p.getRemotePort());
            assertEquals(EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN, peer.getState(), what + " in dom0");
            assertEquals(domid, peer.getRemoteDomid(), what + ": dom0's end names the guest");
            assertEquals(p.getPort(), peer.getRemotePort(), what + ": the two ends agree");
            assertEquals(what, peer.getLabel(), what + ": dom0's end is labelled by its binder");
            assertTrue(p.getCounters().getSends() > 0, what + ": the guest has notified dom0: " + p);
            assertTrue(peer.getCounters().getPendingEdges() > 0, what + ": dom0's end was raised: " + peer);
        }
        EventChannel timer = labelled(guest, "VIRQ_TIMER");
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_VIRQ, timer.getState());
        assertEquals(0, timer.getVirq());

        EventChannel status = evtchn().getEventChannelStatus(GetEventChannelStatusRequest.newBuilder()
                .setDomain(Integer.toString(domid)).setPort(labelled(guest, "xenstore").getPort()).build());
        assertEquals(labelled(guest, "xenstore").getRemotePort(), status.getRemotePort());
        assertEquals("xenstore", status.getLabel());
    }

    @Test
    void statusOfAnUnknownDomainOrAPortOutOfRangeSaysWhich() throws Exception {
        guests.create("evt-status", "idle");
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> evtchn()
                .getEventChannelStatus(GetEventChannelStatusRequest.newBuilder().setDomain("no-such").setPort(1).build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        assertEquals("Domain 'no-such' does not exist.", unknown.getStatus().getDescription());
        StatusRuntimeException range = assertThrows(StatusRuntimeException.class, () -> evtchn()
                .getEventChannelStatus(GetEventChannelStatusRequest.newBuilder().setDomain("evt-status")
                        .setPort(5000).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, range.getStatus().getCode());
        assertTrue(range.getStatus().getDescription().contains("5000"), range.getStatus().getDescription());
        EventChannel closed = evtchn().getEventChannelStatus(GetEventChannelStatusRequest.newBuilder()
                .setDomain("evt-status").setPort(60).build());
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_CLOSED, closed.getState());
        StatusRuntimeException listUnknown = assertThrows(StatusRuntimeException.class, () -> list("4000"));
        assertEquals(Status.Code.NOT_FOUND, listUnknown.getStatus().getCode());
    }

    @Test
    void aWatchSeesTheSendsOfABusyGuestAndRatesComeFromTheCounters() throws Exception {
        int domid = guests.create("evt-busy", "evtchnbench sends=20000 rounds=1000000");
        guests.awaitConsole("evt-busy", "evtchnbench: round 1:");
        Watch all = Watch.open(WatchEventChannelsRequest.newBuilder().addDomains("evt-busy").build());
        Watch sendsOnly = Watch.open(WatchEventChannelsRequest.newBuilder().addDomains(Integer.toString(domid))
                .addKinds(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND).build());
        try {
            Host.await(() -> all.events.stream().anyMatch(e -> e.getKind() == EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND)
                    && all.events.stream().anyMatch(e -> e.getKind() == EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER)
                    && sendsOnly.events.size() > 100, 20_000, () -> "sends and deliveries of the busy guest; saw "
                    + all.events.size() + " and " + sendsOnly.events.size());
            assertTrue(all.events.stream().allMatch(e -> e.getDomid() == domid), "the domain filter holds");
            assertTrue(sendsOnly.events.stream().allMatch(e -> e.getKind() == EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND),
                    "the kind filter holds");
            assertTrue(sendsOnly.events.stream().anyMatch(e -> e.getLabel().equals("IPI") && e.getRemoteDomid() == domid),
                    "sends carry their port's label, and an IPI raises its own domain");
            assertTrue(all.events.stream().anyMatch(e -> e.getKind() == EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER
                    && e.getLabel().equals("IPI")), "the IPI's deliveries, labelled");
            long now = System.currentTimeMillis() * 1_000_000L;
            EventChannelEvent e = sendsOnly.events.peek();
            assertTrue(Math.abs(now - e.getTimestampUnixNanos()) < 60_000_000_000L, "timestamps are Unix time: " + e);
        } finally {
            all.cancel();
        }
        // The other watcher carries on after the first went away.
        int seen = sendsOnly.events.size();
        Host.await(() -> sendsOnly.events.size() > seen + 100, 20_000, "more sends after the other watcher left");
        sendsOnly.cancel();

        Watch rates = Watch.open(WatchEventChannelsRequest.newBuilder().addDomains("evt-busy").setSummaryIntervalMs(200).build());
        try {
            Host.await(() -> !rates.summaries.isEmpty(), 20_000, "a rate summary");
            EventChannelRate busiest = rates.summaries.peek().getRates(0);
            assertEquals("IPI", busiest.getLabel(), "the IPI port is the busiest: " + rates.summaries.peek());
            assertTrue(busiest.getSendsPerSecond() > 1000, busiest.toString());
        } finally {
            rates.cancel();
        }
        assertFalse(host.domain("evt-busy").isEmpty(), "the guest runs on");
    }

    @Test
    void aThousandWatchersComeAndGoAndTheHostCarriesOn() throws Exception {
        guests.create("evt-many", "evtchnbench sends=20000 rounds=1000000");
        guests.awaitConsole("evt-many", "evtchnbench: round 1:");
        List<Watch> watches = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                watches.add(Watch.open(WatchEventChannelsRequest.newBuilder().addDomains("evt-many")
                        .addKinds(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND).build()));
            }
            Host.await(() -> watches.stream().allMatch(w -> !w.events.isEmpty()), 60_000,
                    () -> watches.stream().filter(w -> w.events.isEmpty()).count() + " watchers saw nothing yet");
        } finally {
            watches.forEach(Watch::cancel);
        }
        assertEquals("evt-many", list("evt-many").getName(), "the control plane answers");
        Watch after = Watch.open(WatchEventChannelsRequest.newBuilder().addDomains("evt-many").build());
        try {
            Host.await(() -> !after.events.isEmpty(), 20_000, "a new watcher after a thousand went away");
        } finally {
            after.cancel();
        }
    }

    /** A watch stream read into queues until cancelled. */
    private static final class Watch {
        final ConcurrentLinkedQueue<EventChannelEvent> events = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<org.hvsim.proto.control.EventChannelSummary> summaries = new ConcurrentLinkedQueue<>();
        final AtomicLong dropped = new AtomicLong();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final Context.CancellableContext context = Context.current().withCancellation();

        static Watch open(WatchEventChannelsRequest request) {
            Watch w = new Watch();
            w.context.run(() -> EventChannelServiceGrpc.newStub(host.channel()).watchEventChannels(request,
                    new StreamObserver<>() {
                        @Override
                        public void onNext(WatchEventChannelsResponse r) {
                            if (w.events.size() < 100_000) {
                                w.events.addAll(r.getEventsList());
                            }
                            if (r.hasSummary()) {
                                w.summaries.add(r.getSummary());
                            }
                            w.dropped.addAndGet(r.getDropped());
                        }

                        @Override
                        public void onError(Throwable t) {
                            w.ended.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            w.ended.complete(null);
                        }
                    }));
            return w;
        }

        void cancel() {
            context.cancel(null);
        }
    }
}
