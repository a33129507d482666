package org.hvsim.dom0.xen;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifies the other end of one of dom0's ports without waiting for the hypervisor's answer
 * (notify_remote_via_evtchn, whose result Linux ignores too): a backend's thread signals and goes on, and
 * never sits out a round trip over the privcmd channel. At most one EVTCHNOP_send is in flight: a
 * notification asked for while one is unanswered is sent once more after that answer, since the first may
 * have been delivered before the state the caller signals for was visible; any number asked for
 * meanwhile are that one. No notification is lost and none waits for the caller's thread.
 *
 * <p>Threads: any thread calls {@link #notifyRemote}; answers come on the privcmd channel's event loop,
 * which never waits here (a resend without a free hypercall buffer goes to a virtual thread).
 */
public final class EventNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(EventNotifier.class);
    private static final int IDLE = 0;
    private static final int IN_FLIGHT = 1;
    private static final int IN_FLIGHT_AGAIN = 2;

    private final Xc xc;
    private final int port;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile boolean closed;

    public EventNotifier(Xc xc, int port) {
        this.xc = xc;
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** Signals the remote end of the port (EVTCHNOP_send), now or right after the send in flight. */
    public void notifyRemote() {
        while (true) {
            int s = state.get();
            if (s == IN_FLIGHT_AGAIN) {
                return;
            }
            if (state.compareAndSet(s, s + 1)) {
                if (s == IDLE) {
                    send(xc.buffers().acquire());
                }
                return;
            }
        }
    }

    /** No more sends after the one in flight (the port is about to close). */
    public void close() {
        closed = true;
    }

    private void send(HypercallBuffer b) {
        CompletableFuture<Long> answer;
        try {
            new EvtchnSend(port).write(b.memory(), b.address());
            answer = xc.xen().hypercallAsync(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.SEND, b.address());
        } catch (RuntimeException e) {   // not sent: as an answer that failed, so that later ones still go
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((result, failure) -> answered(b, result, failure));
    }

    private void answered(HypercallBuffer b, Long result, Throwable failure) {
        b.close();
        if (!closed && (failure != null || result < 0)) {
            LOG.debug("event_channel_op send {}: {}", port, failure != null ? failure.toString() : result);
        }
        while (true) {
            int s = state.get();
            if (s == IN_FLIGHT_AGAIN && state.compareAndSet(s, IN_FLIGHT)) {
                if (closed) {
                    state.set(IDLE);
                    return;
                }
                HypercallBuffer next = xc.buffers().tryAcquire();
                if (next != null) {
                    send(next);
                } else {
                    Thread.ofVirtual().name("evtchn-send-" + port).start(() -> send(xc.buffers().acquire()));
                }
                return;
            }
            if (s == IN_FLIGHT && state.compareAndSet(s, IDLE)) {
                return;
            }
        }
    }
}
