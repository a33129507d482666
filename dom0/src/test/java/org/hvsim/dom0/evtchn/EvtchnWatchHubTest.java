package org.hvsim.dom0.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.hvsim.dom0.xen.EventChannelInspector;
import org.hvsim.dom0.xen.EvtchnIntrospection;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.WatchEventChannelsResponse;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub over a fake hypervisor that records how the trace is switched and lets the test feed batches. */
class EvtchnWatchHubTest {
    /** Records trace calls; the last listener given is the one batches go to. */
    static final class TraceRecordingIntrospection implements EvtchnIntrospection {
        final List<Consumer<EvtchnTraceBatch>> traceCalls = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<EvtchnQueryResult> query(EvtchnQuery query) {
            return CompletableFuture.completedFuture(EvtchnQueryResult.newBuilder().setId(query.getId()).build());
        }

        @Override
        public void label(int domid, int port, String label) {}

        @Override
        public void trace(Consumer<EvtchnTraceBatch> listener) {
            traceCalls.add(listener);
        }

        void deliver(EvtchnTraceBatch batch) {
            Consumer<EvtchnTraceBatch> listener = traceCalls.getLast();
            assertNotNull(listener, "the trace is off");
            listener.accept(batch);
        }
    }

    private final TraceRecordingIntrospection hv = new TraceRecordingIntrospection();
    private final EvtchnWatchHub hub = new EvtchnWatchHub(new EventChannelInspector(hv));

    @AfterEach
    void close() {
        hub.close();
    }

    private static void addRecord(EvtchnTraceBatch.Builder b, long time, int kind, int domid, int port) {
        addRecord(b, time, kind, domid, port, 0, 0, 0);
    }

    private static void addRecord(EvtchnTraceBatch.Builder b, long time, int kind, int domid, int port, int status,
            int remoteDomid, int remotePort) {
        b.addWords(time);
        b.addWords(EvtchnTraceRecord.word1(kind, domid, port, 0, status));
        b.addWords(EvtchnTraceRecord.word2(remoteDomid, remotePort, 0, 0, 0));
    }

    private static WatchEventChannelsResponse nextWithin(EvtchnWatcher w, BooleanSupplier until)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!until.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing reached the watcher");
            }
            LockSupport.parkNanos(1_000_000);
        }
        return w.next(() -> true);
    }

    @Test
    void theTraceStartsWithTheFirstWatcherAndStopsWithTheLast() {
        EvtchnWatcher w1 = new EvtchnWatcher(new WatchFilter(Set.of(), Set.of(), Set.of()));
        EvtchnWatcher w2 = new EvtchnWatcher(new WatchFilter(Set.of(), Set.of(), Set.of()));
        hub.add(w1);
        assertEquals(1, hv.traceCalls.size());
        assertNotNull(hv.traceCalls.getFirst());
        hub.add(w2);
        assertEquals(2, hub.watchers());
        assertEquals(1, hv.traceCalls.size(), "already on");
        hub.remove(w1);
        assertEquals(1, hv.traceCalls.size(), "one watcher left");
        assertTrue(w1.isClosed());
        hub.remove(w1);
        assertEquals(1, hv.traceCalls.size(), "removing twice changes nothing");
        hub.remove(w2);
        assertEquals(2, hv.traceCalls.size());
        assertNull(hv.traceCalls.getLast());
        assertEquals(0, hub.watchers());

        hub.add(w1);
        assertEquals(3, hv.traceCalls.size(), "a new first watcher starts it again");
        assertNotNull(hv.traceCalls.getLast());
    }

    @Test
    void eachWatcherGetsTheEventsItsFilterWantsAndEveryOneTheLossCount() throws Exception {
        EvtchnWatcher domain1 = new EvtchnWatcher(new WatchFilter(Set.of(1), Set.of(), Set.of()));
        EvtchnWatcher sends = new EvtchnWatcher(new WatchFilter(Set.of(), Set.of(),
                Set.of(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND)));
        hub.add(domain1);
        hub.add(sends);
        EvtchnTraceBatch.Builder b = EvtchnTraceBatch.newBuilder().setDropped(3).setClockOffsetUnixNanos(1_000);
        addRecord(b, 10, EvtchnTraceRecord.KIND_SEND, 1, 5, EvtchnTraceRecord.SEND_COALESCED, 2, 6);
        addRecord(b, 11, EvtchnTraceRecord.KIND_DELIVER, 2, 6);
        addRecord(b, 12, EvtchnTraceRecord.KIND_BIND, 1, 7);
        addRecord(b, 13, EvtchnTraceRecord.KIND_SEND, 2, 8, EvtchnTraceRecord.SEND_UNBOUND, 1, 0);
        hv.deliver(b.build());

        WatchEventChannelsResponse m1 = nextWithin(domain1, () -> domain1.queued() == 2);
        assertEquals(List.of(5, 7), m1.getEventsList().stream().map(EventChannelEvent::getPort).toList());
        assertEquals(List.of(1_010L, 1_012L),
                m1.getEventsList().stream().map(EventChannelEvent::getTimestampUnixNanos).toList());
        assertEquals(3, m1.getDropped());

        WatchEventChannelsResponse m2 = nextWithin(sends, () -> sends.queued() == 2);
        assertEquals(List.of(5, 8), m2.getEventsList().stream().map(EventChannelEvent::getPort).toList());
        assertEquals(3, m2.getDropped());
    }

    @Test
    void aSendThatRaisedANewEdgeReachesWatchersOfTheRaisedPortAsADeliveryOrMaskedEdge() throws Exception {
        EvtchnWatcher domain2 = new EvtchnWatcher(new WatchFilter(Set.of(2), Set.of(), Set.of()));
        EvtchnWatcher edges = new EvtchnWatcher(new WatchFilter(Set.of(), Set.of(), Set.of(
                EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER,
                EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_MASKED)));
        hub.add(domain2);
        hub.add(edges);
        EvtchnTraceBatch.Builder b = EvtchnTraceBatch.newBuilder().setClockOffsetUnixNanos(1_000);
        addRecord(b, 10, EvtchnTraceRecord.KIND_SEND, 1, 5, EvtchnTraceRecord.SEND_DELIVERED, 2, 6);
        addRecord(b, 11, EvtchnTraceRecord.KIND_SEND, 1, 5, EvtchnTraceRecord.SEND_COALESCED, 2, 6);
        addRecord(b, 12, EvtchnTraceRecord.KIND_SEND, 1, 5, EvtchnTraceRecord.SEND_MASKED, 2, 6);
        hv.deliver(b.build());

        WatchEventChannelsResponse m1 = nextWithin(domain2, () -> domain2.queued() == 2);
        assertEquals(List.of("DELIVER 2:6 @1010", "MASKED 2:6 @1012"), summary(m1));
        WatchEventChannelsResponse m2 = nextWithin(edges, () -> edges.queued() == 2);
        assertEquals(List.of("DELIVER 2:6 @1010", "MASKED 2:6 @1012"), summary(m2),
                "the coalesced send raised no edge");
    }

    private static List<String> summary(WatchEventChannelsResponse m) {
        return m.getEventsList().stream().map(e -> e.getKind().name().replace("EVENT_CHANNEL_ACTIVITY_KIND_", "")
                + " " + e.getDomid() + ":" + e.getPort() + " @" + e.getTimestampUnixNanos()).toList();
    }

    @Test
    void aBatchOfLossesAloneIsReported() throws Exception {
        EvtchnWatcher w = new EvtchnWatcher(new WatchFilter(Set.of(9), Set.of(), Set.of()));
        hub.add(w);
        hv.deliver(EvtchnTraceBatch.newBuilder().setDropped(12).build());
        WatchEventChannelsResponse[] got = new WatchEventChannelsResponse[1];
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                got[0] = w.next(() -> true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(reader.join(Duration.ofSeconds(10)), "the loss alone wakes the watcher");
        assertEquals(12, got[0].getDropped());
        assertEquals(0, got[0].getEventsCount());
    }

    @Test
    void closeEndsEveryWatchAndStopsTheTrace() {
        EvtchnWatcher w = new EvtchnWatcher(new WatchFilter(Set.of(), Set.of(), Set.of()));
        hub.add(w);
        hub.close();
        assertTrue(w.isClosed());
        assertNull(hv.traceCalls.getLast());
        assertEquals(0, hub.watchers());
    }
}
