package org.hvsim.dom0.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications sent without waiting: one EVTCHNOP_send in flight at most, one more after it for whatever was
 * asked meanwhile, and never a lost wake-up (checked against a "hypervisor" that answers late, on its own
 * thread, as the privcmd channel does).
 */
class EventNotifierTest {
    private final InProcessDom0 dom0;
    /** Sends made, each with the port its argument names and the future the test completes. */
    private final LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();

    private record Sent(int port, CompletableFuture<Long> answer) {}

    EventNotifierTest() throws Exception {
        dom0 = InProcessDom0.start(1, 64);
    }

    @AfterEach
    void close() throws Exception {
        dom0.close();
    }

    /** An Xc whose async hypercalls are answered only when the test says so. */
    private Xc lateAnswers() {
        Dom0Platform p = dom0.platform();
        XenCall xen = new XenCall() {
            @Override
            public long hypercall(int op, long a1, long a2, long a3, long a4, long a5) {
                throw new AssertionError("a notifier must not wait for an answer");
            }

            @Override
            public CompletableFuture<Long> hypercallAsync(int op, long a1, long a2) {
                assertEquals(HypercallNr.EVENT_CHANNEL_OP, op);
                assertEquals(EvtchnOp.SEND, a1);
                CompletableFuture<Long> f = new CompletableFuture<>();
                sent.add(new Sent(EvtchnSend.read(p.memory().view(), a2).port(), f));
                return f;
            }
        };
        return new Xc(xen, p.xc().buffers());
    }

    @Test
    void oneSendInFlightAndOneMoreForWhatWasAskedMeanwhile() throws Exception {
        EventNotifier n = new EventNotifier(lateAnswers(), 7);
        n.notifyRemote();
        Sent first = sent.poll(5, TimeUnit.SECONDS);
        assertEquals(7, first.port());
        n.notifyRemote();
        n.notifyRemote();
        n.notifyRemote();
        assertTrue(sent.isEmpty(), "nothing more while the first is unanswered");
        first.answer().complete(0L);
        Sent again = sent.poll(5, TimeUnit.SECONDS);
        assertEquals(7, again.port(), "the three asked meanwhile are one send after the answer");
        again.answer().complete(0L);
        assertTrue(sent.isEmpty(), "and no more than one");
        n.notifyRemote();
        sent.poll(5, TimeUnit.SECONDS).answer().complete(0L);
        assertTrue(sent.isEmpty());
    }

    @Test
    void anErrorAnswerOrAClosedChannelDoesNotStopLaterNotifications() throws Exception {
        EventNotifier n = new EventNotifier(lateAnswers(), 9);
        n.notifyRemote();
        n.notifyRemote();
        sent.poll(5, TimeUnit.SECONDS).answer().complete(-22L);
        sent.poll(5, TimeUnit.SECONDS).answer().completeExceptionally(new IllegalStateException("channel closed"));
        n.notifyRemote();
        sent.poll(5, TimeUnit.SECONDS).answer().complete(0L);
        assertTrue(sent.isEmpty());
    }

    @Test
    void aSendThatThrowsDoesNotStopLaterNotifications() {
        Dom0Platform p = dom0.platform();
        int[] calls = new int[1];
        Xc throwingOnce = new Xc(new XenCall() {
            @Override
            public long hypercall(int op, long a1, long a2, long a3, long a4, long a5) {
                throw new AssertionError("a notifier must not wait for an answer");
            }

            @Override
            public CompletableFuture<Long> hypercallAsync(int op, long a1, long a2) {
                if (calls[0]++ == 0) {
                    throw new IllegalStateException("the channel is gone");   // thrown, not a failed future
                }
                return CompletableFuture.completedFuture(0L);
            }
        }, p.xc().buffers());
        EventNotifier n = new EventNotifier(throwingOnce, 4);
        n.notifyRemote();
        n.notifyRemote();
        assertEquals(2, calls[0], "the second notification was sent after the first one failed");
    }

    @Test
    void afterCloseWhatWasAskedMeanwhileIsNotSent() throws Exception {
        EventNotifier n = new EventNotifier(lateAnswers(), 3);
        n.notifyRemote();
        n.notifyRemote();
        n.close();
        sent.poll(5, TimeUnit.SECONDS).answer().complete(0L);
        assertTrue(sent.isEmpty());
    }

    /**
     * Threads publish a value and notify; the "hypervisor" answers each send late and, when it runs it, sees
     * the latest value. Once every thread is done and every send answered, the last send saw the last value:
     * no wake-up was lost, however the answers and the notifications interleaved.
     */
    @Test
    void noWakeUpIsLost() throws Exception {
        for (int trial = 0; trial < 20; trial++) {
            AtomicLong published = new AtomicLong();
            AtomicLong seen = new AtomicLong(-1);
            EventNotifier n = new EventNotifier(lateAnswers(), 5);
            Thread hypervisor = Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        Sent s = sent.take();
                        if (s.port() < 0) {
                            return;
                        }
                        seen.set(published.get());
                        Thread.onSpinWait();
                        s.answer().complete(0L);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                producers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 2000; i++) {
                        published.incrementAndGet();
                        n.notifyRemote();
                    }
                }));
            }
            for (Thread t : producers) {
                t.join();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.get() != published.get() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            sent.add(new Sent(-1, new CompletableFuture<>()));
            hypervisor.join();
            assertEquals(published.get(), seen.get(), "the last value published was seen by a send (trial " + trial + ")");
            sent.clear();
        }
    }

    @Test
    void overTheInProcessHypervisorTheOtherEndIsSignalled() {
        // the default XenCall answers at once: each notification is a send, made on the caller's thread
        AtomicLong sends = new AtomicLong();
        Dom0Platform p = dom0.platform();
        Xc counting = new Xc(new XenCall() {
            @Override
            public long hypercall(int op, long a1, long a2, long a3, long a4, long a5) {
                sends.incrementAndGet();
                return p.xc().xen().hypercall(op, a1, a2, a3, a4, a5);
            }
        }, p.xc().buffers());
        int port = p.events().allocUnbound(0, 0, "test");
        EventNotifier n = new EventNotifier(counting, port);
        n.notifyRemote();
        n.notifyRemote();
        assertEquals(2, sends.get());
    }
}
