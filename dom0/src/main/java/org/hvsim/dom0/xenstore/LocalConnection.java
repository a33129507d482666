package org.hvsim.dom0.xenstore;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.hvsim.dom0.xenstore.core.Connection;
import org.hvsim.dom0.xenstore.core.Domain;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.dom0.xenstore.wire.XsMessage;

/**
 * The toolstack's in-process connection (privileged, like the socket): replies complete the futures of
 * the requests waiting for them; watch events go, in order, to one event thread per client through a
 * queue of at most {@value #MAX_QUEUED_EVENTS} events (more are dropped). Threads: {@link #sendReply},
 * {@link #sendEvent} and {@link #closeTransport} on the dispatch thread; {@link #expect} on callers'
 * threads; listeners on the event thread.
 */
final class LocalConnection extends Connection {
    static final int MAX_QUEUED_EVENTS = 65_536;
    private static final XsMessage STOP = XsMessage.watchEvent("", "");

    private final Map<Integer, CompletableFuture<XsMessage>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<XsMessage> events = new ArrayBlockingQueue<>(MAX_QUEUED_EVENTS);
    private final RateLimitedLog log;
    private final Thread eventThread;

    LocalConnection(Domain dom0, RateLimitedLog log, Consumer<XsMessage> listener) {
        super(dom0);
        this.log = log;
        this.eventThread = Thread.ofVirtual().name("xenstore-client-events").start(() -> deliver(listener));
    }

    private void deliver(Consumer<XsMessage> listener) {
        try {
            while (true) {
                XsMessage m = events.take();
                if (m == STOP) {
                    return;
                }
                listener.accept(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Registers interest in the reply to request {@code reqId}. */
    CompletableFuture<XsMessage> expect(int reqId) {
        CompletableFuture<XsMessage> f = new CompletableFuture<>();
        pending.put(reqId, f);
        return f;
    }

    void forget(int reqId) {
        pending.remove(reqId);
    }

    @Override
    protected void sendReply(XsMessage reply) {
        CompletableFuture<XsMessage> f = pending.remove(reply.header().reqId());
        if (f != null) {
            f.complete(reply);
        }
    }

    @Override
    protected boolean sendEvent(XsMessage event) {
        if (!events.offer(event)) {
            log.warn("in-process xenstore client is not taking its watch events: event dropped");
            return false;
        }
        return true;
    }

    @Override
    protected void closeTransport() {
        IllegalStateException closed = new IllegalStateException("the xenstore client is closed");
        pending.values().forEach(f -> f.completeExceptionally(closed));
        pending.clear();
        events.clear();
        events.offer(STOP);
    }

    Thread eventThread() {
        return eventThread;
    }
}
