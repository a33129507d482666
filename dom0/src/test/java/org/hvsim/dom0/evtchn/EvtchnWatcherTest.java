package org.hvsim.dom0.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.WatchEventChannelsResponse;
import org.junit.jupiter.api.Test;

/** One watch's filter, bounded queue, message size, readiness and end. */
class EvtchnWatcherTest {
    private static final WatchFilter ALL = new WatchFilter(Set.of(), Set.of(), Set.of());

    static EventChannelEvent event(int domid, int port, EventChannelActivityKind kind) {
        return EventChannelEvent.newBuilder().setDomid(domid).setPort(port).setKind(kind).build();
    }

    private static EventChannelEvent send(int domid, int port) {
        return event(domid, port, EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND);
    }

    @Test
    void onlyEventsPassingTheFilterAreQueued() throws Exception {
        EvtchnWatcher w = new EvtchnWatcher(new WatchFilter(Set.of(1, 2), Set.of(5),
                Set.of(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND)));
        EventChannelEvent wanted1 = send(1, 5);
        EventChannelEvent wanted2 = send(2, 5);
        w.offer(List.of(send(3, 5), wanted1, send(1, 6),
                event(1, 5, EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER), wanted2), 0);
        assertEquals(2, w.queued());
        WatchEventChannelsResponse m = w.next(() -> true);
        assertEquals(List.of(wanted1, wanted2), m.getEventsList());
        assertEquals(0, m.getDropped());
    }

    @Test
    void aFullQueueDropsCountsAndReportsTheCountOnceInTheNextMessage() throws Exception {
        EvtchnWatcher w = new EvtchnWatcher(ALL);
        List<EventChannelEvent> many = new ArrayList<>();
        for (int i = 0; i < EvtchnWatcher.MAX_QUEUED_EVENTS + 5; i++) {
            many.add(send(1, i % 4096));
        }
        w.offer(many, 0);
        w.offer(List.of(send(9, 9)), 2);
        assertEquals(EvtchnWatcher.MAX_QUEUED_EVENTS, w.queued());

        WatchEventChannelsResponse first = w.next(() -> true);
        assertEquals(5 + 1 + 2, first.getDropped(), "overflow, the event after it, and losses before the hub");
        assertEquals(EvtchnWatcher.MAX_EVENTS_PER_MESSAGE, first.getEventsCount());
        assertEquals(many.subList(0, EvtchnWatcher.MAX_EVENTS_PER_MESSAGE), first.getEventsList());

        int total = first.getEventsCount();
        while (w.queued() > 0) {
            WatchEventChannelsResponse m = w.next(() -> true);
            assertEquals(0, m.getDropped());
            assertTrue(m.getEventsCount() <= EvtchnWatcher.MAX_EVENTS_PER_MESSAGE);
            total += m.getEventsCount();
        }
        assertEquals(EvtchnWatcher.MAX_QUEUED_EVENTS, total);
    }

    @Test
    void lossesAloneMakeAMessage() throws Exception {
        EvtchnWatcher w = new EvtchnWatcher(ALL);
        w.offer(List.of(), 4);
        WatchEventChannelsResponse m = w.next(() -> true);
        assertEquals(4, m.getDropped());
        assertEquals(0, m.getEventsCount());
    }

    @Test
    void nextWaitsForEventsAndForTheClientToBeReady() throws Exception {
        EvtchnWatcher w = new EvtchnWatcher(ALL);
        AtomicBoolean ready = new AtomicBoolean(false);
        AtomicReference<WatchEventChannelsResponse> got = new AtomicReference<>();
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                got.set(w.next(ready::get));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(sender);
        w.offer(List.of(send(1, 1)), 0);
        w.offer(List.of(send(1, 2)), 0);
        awaitWaiting(sender);
        assertNull(got.get(), "events, but the client is not ready");
        ready.set(true);
        w.wake();
        assertTrue(sender.join(Duration.ofSeconds(10)));
        assertEquals(List.of(send(1, 1), send(1, 2)), got.get().getEventsList());
    }

    @Test
    void closeEndsAWaitingNextWithNullAndLaterOnesAtOnce() throws Exception {
        EvtchnWatcher w = new EvtchnWatcher(ALL);
        AtomicReference<Object> got = new AtomicReference<>("nothing yet");
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                got.set(w.next(() -> true));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(sender);
        w.close();
        assertTrue(sender.join(Duration.ofSeconds(10)));
        assertNull(got.get());
        assertTrue(w.isClosed());
        w.offer(List.of(send(1, 1)), 3);
        assertEquals(0, w.queued(), "a closed watch takes nothing");
        assertNull(w.next(() -> true));
        w.close();
    }

    @Test
    void closeDropsWhatWasQueued() throws Exception {
        EvtchnWatcher w = new EvtchnWatcher(ALL);
        w.offer(List.of(send(1, 1)), 0);
        w.close();
        assertNull(w.next(() -> true));
    }

    /** Polls until {@code t} is parked (waiting in next). */
    static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline || !t.isAlive()) {
                throw new AssertionError("not waiting: " + t.getState());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
