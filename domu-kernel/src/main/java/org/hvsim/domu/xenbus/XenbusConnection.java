package org.hvsim.domu.xenbus;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>A new xenstored may take the ring over (a restarted dom0 introduces the domain again; see
 * {@code RingConnection#start} in dom0): it sets {@code connection} to {@code XENSTORE_RECONNECT}, zeroes
 * the indices and signals. The client notices that, or a reset it did not see the request for (the page's
 * {@code rsp_cons} or {@code req_prod}, which only the guest writes, no longer match its copies), drops
 * its copies and the partial response, and signals back once no request is half-written into the old
 * ring; xenstored then connects the ring again. As Linux's {@code xs_resume}, it then re-registers every
 * watch (each fires once) and runs the {@link #postOnReconnect} tasks; requests that were waiting for a
 * reply are sent again on the new connection.
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
    private XsMessageDecoder decoder = new XsMessageDecoder();
    private final byte[] chunk = new byte[XenstoreDomainInterface.XENSTORE_RING_SIZE];
    private final ConcurrentHashMap<Integer, PendingRequest> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, XenbusWatch> watches = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<XenwatchTask> onConnect = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextReqId = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicLong unexpectedReplies = new AtomicLong();
    private final AtomicLong badWatchEvents = new AtomicLong();
    private final CopyOnWriteArrayList<XenwatchTask> onReconnect = new CopyOnWriteArrayList<>();
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean ackPending = new AtomicBoolean();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean connected;
    private boolean everConnected;
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
                if (everConnected) {
                    reconnects.incrementAndGet();
                    xenwatch.post(this::resume);
                } else {
                    everConnected = true;
                    for (XenwatchTask t : onConnect) {
                        xenwatch.post(t);
                    }
                    onConnect.clear();
                }
            }
        } finally {
            responseLock.unlock();
        }
        return true;
    }

    boolean connected() {
        return connected;
    }

    /** How many times a new xenstored has taken the ring over. */
    long reconnects() {
        return reconnects.get();
    }

    /** Queues {@code task} for the xenwatch worker after every reconnection, once its watches are registered again. */
    void postOnReconnect(XenwatchTask task) {
        onReconnect.add(task);
    }

    /**
     * Event handler or requesting vCPU, under the response lock: a new xenstored reset the ring. The old
     * connection ends: its indices, its partial response and its requests (their senders send them again).
     * Returns whether the guest must signal back.
     *
     * <p>Known gap: if the connection's very first request is in flight during a takeover and its notification
     * is what the new xenstored takes for the guest's answer to RECONNECT, no response has been read yet, so
     * the response side shows no reset and that request waits for a reply that never comes.
     */
    private boolean resetSeen(GuestMemory m) {
        if (!connected || (ring.connection(m) != XenstoreDomainInterface.XENSTORE_RECONNECT
                && !ring.responseSideReset(m))) {
            return false;
        }
        endConnection();
        return true;
    }

    /** Under the response lock. */
    private void endConnection() {
        connected = false;
        decoder = new XsMessageDecoder();
        generation.incrementAndGet();
        ackPending.set(true);
    }

    /**
     * Signals xenstored that the client dropped the old ring, unless a request is being written into it
     * right now: then its writer signals once it is done, so nothing of the old connection lands in the
     * new one.
     */
    private void acknowledgeReset(PerCpu cpu) {
        if (ackPending.get() && !writing.get() && ackPending.compareAndSet(true, false)) {
            signals.notifyXenstored(cpu);
        }
    }

    /** Checks for a reset under the response lock and signals back if there was one. Never blocks. */
    private void checkReset(PerCpu cpu) {
        boolean reset;
        responseLock.lock();
        try {
            reset = resetSeen(cpu.memory());
        } finally {
            responseLock.unlock();
        }
        if (reset) {
            acknowledgeReset(cpu);
            waits.wakeOthers(cpu);
        }
    }

    /** xenwatch, after a reconnection: every watch registered again, then the reconnect tasks. */
    private void resume(PerCpu cpu) {
        XenbusException first = null;
        for (XenbusWatch w : watches.values()) {
            try {
                request(cpu, XsRequest.strings(XsdSockmsgType.XS_WATCH, 0, w.path(), w.token()));
            } catch (XenbusException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        for (XenwatchTask t : onReconnect) {
            xenwatch.post(t);
        }
        if (first != null) {
            throw first;
        }
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
        if (failure.get() != null) {
            waits.wakeOthers(cpu);
            return;
        }
        checkReset(cpu);
        if (!serverStopped(m) && tryConnect(m)) {
            int n = 0;
            boolean reset = false;
            responseLock.lock();
            try {
                n = ring.read(m, chunk, 0, chunk.length);
                decoder.feed(chunk, 0, n, this::dispatch);
            } catch (XsProtocolException e) {
                // Indices that no longer fit may be a reset that happened after the check above.
                reset = resetSeen(m);
                if (!reset) {
                    failure.compareAndSet(null, e.getMessage());
                }
                n = 0;
            } finally {
                responseLock.unlock();
            }
            if (reset) {
                acknowledgeReset(cpu);
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
        XsMessage reply = null;
        while (reply == null) {
            waits.await(cpu, () -> failure.get() != null || serverStopped(m) || tryConnect(m));
            checkFailure(what);
            int gen = generation.get();
            int id = nextReqId.getAndIncrement();
            PendingRequest p = new PendingRequest(id, req.type());
            pending.put(id, p);
            try {
                if (send(cpu, req.encode(id), what, gen)) {
                    waits.await(cpu, () -> p.reply() != null || failure.get() != null || serverStopped(m)
                            || generation.get() != gen);
                }
                reply = p.reply();
                if (reply == null) {
                    // Stopped, or a new xenstored took the ring over: then the request goes again.
                    checkFailure(what);
                }
            } finally {
                pending.remove(id);
            }
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

    /**
     * Writes a whole message, in pieces as the ring frees up, notifying xenstored after each. Returns false,
     * having written nothing more, once connection {@code gen} has ended (the request goes again).
     */
    private boolean send(PerCpu cpu, byte[] msg, String what, int gen) {
        GuestMemory m = cpu.memory();
        writeMutex.lock(cpu);
        try {
            int off = 0;
            while (off < msg.length) {
                checkFailure(what);
                int n = write(cpu, msg, off, gen, what);
                if (n < 0) {
                    return false;
                }
                if (n > 0) {
                    off += n;
                    signals.notifyXenstored(cpu);
                } else {
                    waits.await(cpu, () -> failure.get() != null || serverStopped(m) || generation.get() != gen
                            || !connected || spaceOrReset(m));
                }
            }
            return true;
        } finally {
            writeMutex.unlock(cpu);
        }
    }

    /**
     * One piece of a request, under the write mutex: the bytes written, or -1 if connection {@code gen} has
     * ended. {@code writing} is raised before the connection is checked, so a reset seen meanwhile is
     * signalled back only after this piece (see {@link #acknowledgeReset}).
     */
    private int write(PerCpu cpu, byte[] msg, int off, int gen, String what) {
        GuestMemory m = cpu.memory();
        writing.set(true);
        try {
            if (!connected || generation.get() != gen) {
                return -1;
            }
            if (ring.requestSideReset(m)) {
                resetFromRequestSide(m);
                return -1;
            }
            return ring.write(m, msg, off, msg.length - off);
        } catch (XsProtocolException e) {
            if (resetFromRequestSide(m) || generation.get() != gen) {
                return -1;
            }
            fail(cpu, e.getMessage());
            checkFailure(what);
            return -1;
        } finally {
            writing.set(false);
            acknowledgeReset(cpu);
        }
    }

    /** The request side's own index changed under the client, or the response side's did: the ring was reset. */
    private boolean resetFromRequestSide(GuestMemory m) {
        responseLock.lock();
        try {
            if (connected && ring.requestSideReset(m)) {
                endConnection();
                return true;
            }
            return resetSeen(m);
        } finally {
            responseLock.unlock();
        }
    }

    private boolean spaceOrReset(GuestMemory m) {
        try {
            return ring.requestSpace(m) > 0;
        } catch (XsProtocolException e) {
            return true;
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
