package org.hvsim.domu.xenbus;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.xenstore.XenstoreDomainInterface;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * The client's connection to xenstored over the ring (Linux's {@code xenbus_comms.c} and the request half of
 * {@code xenbus_xs.c}). Requests are written whole under the write mutex, in pieces when the ring is full,
 * the store port notified after each piece; the sender then blocks until its reply arrives. Responses are
 * read in the store port's event handler ({@link #onEvent}), cut into messages and matched to requests by
 * {@code req_id}; watch events go to the xenwatch worker.
 *
 * <p>Until xenstored has set {@code connection} to {@code XENSTORE_CONNECTED} (a ring handed over in
 * {@code XENSTORE_RECONNECT}, as for late-started xenstore) the client ignores every other field and
 * requests wait; once connected it picks up the indices, skipping stale responses, as Linux's
 * {@code xb_init_comms} does. The guest never asks for a reconnection itself (Linux does not either).
 *
 * <p>Broken rings are fatal: indices more than a ring apart, a message longer than
 * {@code XENSTORE_PAYLOAD_MAX}, or xenstored's {@code error} indicator (when it offers
 * {@code XENSTORE_SERVER_FEATURE_ERROR}) stop the connection: every waiting and later request fails with
 * {@code EIO}. A reply for no outstanding request and a malformed watch event are dropped and counted.
 *
 * <p>Threads: requests from task code on any vCPU; {@link #onEvent} in the store port's event handler. The
 * response lock guards the decoder and the response side of the ring; it is never held across a hypercall,
 * so an upcall cannot find it held by the code it interrupted.
 */
final class XenbusConnection {
    private final XenstoreRing ring;
    private final XenbusSignals signals;
    private final VcpuWaits waits;
    private final BlockingMutex writeMutex;
    private final XenwatchWorker xenwatch;
    private final ReentrantLock responseLock = new ReentrantLock();
    private final XsMessageDecoder decoder = new XsMessageDecoder();
    private final byte[] chunk = new byte[XenstoreDomainInterface.XENSTORE_RING_SIZE];
    private final ConcurrentHashMap<Integer, PendingRequest> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, XenbusWatch> watches = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<XenwatchTask> onConnect = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextReqId = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicLong unexpectedReplies = new AtomicLong();
    private final AtomicLong badWatchEvents = new AtomicLong();
    private volatile boolean connected;
    private volatile XenstoreRing.Resync resync;

    XenbusConnection(XenstoreRing ring, XenbusSignals signals) {
        this.ring = ring;
        this.signals = signals;
        this.waits = new VcpuWaits(signals);
        this.writeMutex = new BlockingMutex(waits);
        this.xenwatch = new XenwatchWorker(waits);
    }

    XenwatchWorker xenwatch() {
        return xenwatch;
    }

    VcpuWaits waits() {
        return waits;
    }

    // ---- connection state ----

    /**
     * Becomes connected if xenstored has the ring connected: picks up the indices and queues the
     * {@link #postWhenConnected} tasks. Never blocks or makes a hypercall. Returns whether connected.
     */
    boolean tryConnect(GuestMemory m) {
        if (connected) {
            return true;
        }
        if (ring.connection(m) != XenstoreDomainInterface.XENSTORE_CONNECTED) {
            return false;
        }
        responseLock.lock();
        try {
            if (!connected) {
                resync = ring.resync(m);
                connected = true;
                for (XenwatchTask t : onConnect) {
                    xenwatch.post(t);
                }
                onConnect.clear();
            }
        } finally {
            responseLock.unlock();
        }
        return true;
    }

    boolean connected() {
        return connected;
    }

    /** What the indices were when the connection came up, or null before. */
    XenstoreRing.Resync resyncAtConnect() {
        return resync;
    }

    /** Queues {@code task} for the xenwatch worker: now if connected, else once xenstored connects the ring. */
    void postWhenConnected(XenwatchTask task) {
        responseLock.lock();
        try {
            if (connected) {
                xenwatch.post(task);
            } else {
                onConnect.add(task);
            }
        } finally {
            responseLock.unlock();
        }
    }

    /** Why the connection stopped, or null while it works. */
    String failure() {
        return failure.get();
    }

    private void fail(PerCpu cpu, String why) {
        failure.compareAndSet(null, why);
        waits.wakeOthers(cpu);
    }

    /** xenstored's error indicator, if it offers one: a non-zero value means it stopped serving the ring. */
    private boolean serverStopped(GuestMemory m) {
        if ((ring.serverFeatures(m) & XenstoreDomainInterface.XENSTORE_SERVER_FEATURE_ERROR) == 0) {
            return false;
        }
        int error = ring.error(m);
        if (error == XenstoreDomainInterface.XENSTORE_ERROR_NONE) {
            return false;
        }
        failure.compareAndSet(null, "xenstored stopped serving the ring (error indicator " + error + ")");
        return true;
    }

    private void checkFailure(String what) {
        String why = failure.get();
        if (why != null) {
            throw new XenbusException(XsdError.EIO, what + " (xenbus connection lost: " + why + ")");
        }
    }

    // ---- the event handler ----

    /** The store port fired: read what xenstored wrote, then wake vCPUs waiting on progress. Event handler context. */
    void onEvent(PerCpu cpu) {
        GuestMemory m = cpu.memory();
        if (failure.get() == null && !serverStopped(m) && tryConnect(m)) {
            int n = 0;
            responseLock.lock();
            try {
                n = ring.read(m, chunk, 0, chunk.length);
                decoder.feed(chunk, 0, n, this::dispatch);
            } catch (XsProtocolException e) {
                failure.compareAndSet(null, e.getMessage());
            } finally {
                responseLock.unlock();
            }
            if (n > 0) {
                signals.notifyXenstored(cpu);
            }
        }
        waits.wakeOthers(cpu);
    }

    /** Under the response lock: one whole message from xenstored. */
    private void dispatch(XsMessage msg) {
        if (msg.isType(XsdSockmsgType.XS_WATCH_EVENT)) {
            watchEvent(msg);
            return;
        }
        PendingRequest p = pending.get(msg.header().reqId());
        if (p == null) {
            unexpectedReplies.incrementAndGet();
            return;
        }
        p.complete(msg);
    }

    private void watchEvent(XsMessage msg) {
        java.util.List<String> parts;
        try {
            parts = msg.strings();
        } catch (XsProtocolException e) {
            badWatchEvents.incrementAndGet();
            return;
        }
        XenbusWatch w = parts.size() == 2 ? watches.get(parts.get(1)) : null;
        if (w == null) {
            badWatchEvents.incrementAndGet();
            return;
        }
        xenwatch.post(w, parts.get(0));
    }

    // ---- requests ----

    /**
     * Sends {@code req} and waits for its reply, which has {@code req}'s type ({@code XS_ERROR} replies are
     * thrown as {@link XenbusException}). Task level.
     */
    XsMessage request(PerCpu cpu, XsRequest req) {
        cpu.requireTaskLevel("a XenStore request");
        GuestMemory m = cpu.memory();
        String what = req.type().name();
        waits.await(cpu, () -> failure.get() != null || serverStopped(m) || tryConnect(m));
        checkFailure(what);
        int id = nextReqId.getAndIncrement();
        PendingRequest p = new PendingRequest(id, req.type());
        pending.put(id, p);
        XsMessage reply;
        try {
            send(cpu, req.encode(id), what);
            waits.await(cpu, () -> p.reply() != null || failure.get() != null || serverStopped(m));
            reply = p.reply();
            if (reply == null) {
                checkFailure(what);
            }
        } finally {
            pending.remove(id);
        }
        if (reply.isType(XsdSockmsgType.XS_ERROR)) {
            String name;
            try {
                name = reply.string();
            } catch (XsProtocolException e) {
                throw new XenbusException(XsdError.EIO, what + " answered with a malformed XS_ERROR");
            }
            throw new XenbusException(XsdError.named(name), what);
        }
        if (!reply.isType(req.type())) {
            // xs_talkv: a reply of another type is EINVAL for this request.
            throw new XenbusException(XsdError.EINVAL, what + " answered with message type "
                    + Integer.toUnsignedString(reply.type()));
        }
        return reply;
    }

    /** Writes a whole message, in pieces as the ring frees up, notifying xenstored after each. */
    private void send(PerCpu cpu, byte[] msg, String what) {
        GuestMemory m = cpu.memory();
        writeMutex.lock(cpu);
        try {
            int off = 0;
            while (off < msg.length) {
                checkFailure(what);
                int n = ring.write(m, msg, off, msg.length - off);
                if (n > 0) {
                    off += n;
                    signals.notifyXenstored(cpu);
                } else {
                    waits.await(cpu, () -> failure.get() != null || serverStopped(m) || ring.requestSpace(m) > 0);
                }
            }
        } catch (XsProtocolException e) {
            fail(cpu, e.getMessage());
            checkFailure(what);
        } finally {
            writeMutex.unlock(cpu);
        }
    }

    // ---- watches ----

    void addWatch(XenbusWatch w) {
        if (watches.putIfAbsent(w.token(), w) != null) {
            throw new IllegalStateException("token " + w.token() + " is in use");
        }
    }

    boolean removeWatch(XenbusWatch w) {
        return watches.remove(w.token(), w);
    }

    // ---- counters ----

    /** Replies whose {@code req_id} matched no outstanding request. */
    long unexpectedReplies() {
        return unexpectedReplies.get();
    }

    /** Watch events with a malformed payload or an unknown token. */
    long badWatchEvents() {
        return badWatchEvents.get();
    }
}
