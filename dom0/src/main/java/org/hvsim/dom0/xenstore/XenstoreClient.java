package org.hvsim.dom0.xenstore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * A privileged in-process client of xenstored for the toolstack (dom0's own tools use the socket). It
 * speaks the wire protocol to the daemon, so it gets exactly what a socket client gets. Watch events go
 * to the listener registered for their token, on this client's event thread.
 * Threads: any number of threads may call at once, except xenstored's dispatch thread.
 */
public final class XenstoreClient extends RequestOps implements AutoCloseable {
    /** Attempts {@link #transaction(Function)} makes before giving up on conflicts. */
    public static final int TRANSACTION_ATTEMPTS = 100;

    private final Xenstored daemon;
    private final LocalConnection conn;
    private final AtomicInteger nextReqId = new AtomicInteger();
    private final Map<String, WatchListener> listeners = new ConcurrentHashMap<>();

    XenstoreClient(Xenstored daemon) {
        this.daemon = daemon;
        this.conn = daemon.connectLocal(this::onEvent);
    }

    private void onEvent(XsMessage m) {
        List<String> parts = XsPayload.strings(m.payload());
        if (parts.size() < 2) {
            return;
        }
        WatchListener l = listeners.get(parts.get(1));
        if (l != null) {
            l.event(parts.get(0), parts.get(1));
        }
    }

    LocalConnection connection() {
        return conn;
    }

    @Override
    byte[] request(XsdSockmsgType type, byte[] payload) {
        return request(type, 0, payload);
    }

    byte[] request(XsdSockmsgType type, int txId, byte[] payload) {
        int reqId = nextReqId.incrementAndGet();
        CompletableFuture<XsMessage> f = conn.expect(reqId);
        try {
            daemon.submit(conn, XsMessage.of(type.number(), reqId, txId, payload));
        } catch (RuntimeException e) {
            conn.forget(reqId);
            throw e;
        }
        XsMessage reply = Uninterruptibly.get(f);
        if (reply.type() == XsdSockmsgType.XS_ERROR.number()) {
            String name = XsPayload.oneArg(reply.payload());
            throw new XenstoreException(XsdError.named(name == null ? "" : name), type + " failed");
        }
        return reply.payload();
    }

    /** Starts a transaction. */
    public XenstoreTransaction transactionStart() {
        byte[] reply = request(XsdSockmsgType.XS_TRANSACTION_START, new byte[] {0});
        String id = XsPayload.oneArg(reply);
        return new XenstoreTransaction(this, (int) Long.parseUnsignedLong(id == null ? "0" : id));
    }

    /**
     * Runs {@code body} in a transaction and commits, starting over on conflicts (libxl's pattern).
     *
     * @return what {@code body} returned in the attempt that committed
     * @throws XenstoreException EAGAIN after {@value #TRANSACTION_ATTEMPTS} conflicting attempts, or
     *     whatever the body or the commit threw (the transaction is then aborted)
     */
    public <T> T transaction(Function<XenstoreOps, T> body) {
        for (int attempt = 0; attempt < TRANSACTION_ATTEMPTS; attempt++) {
            XenstoreTransaction t = transactionStart();
            T result;
            try {
                result = body.apply(t);
            } catch (RuntimeException e) {
                t.abort();
                throw e;
            }
            if (t.commit()) {
                return result;
            }
        }
        throw new XenstoreException(XsdError.EAGAIN, "transaction kept conflicting");
    }

    /**
     * Sets a watch; {@code listener} gets its events (the first one at once). A token names one listener:
     * other watches with the same token must use the same listener.
     */
    public void watch(String path, String token, WatchListener listener) {
        WatchListener prev = listeners.putIfAbsent(token, listener);
        if (prev != null && prev != listener) {
            throw new IllegalArgumentException("token " + token + " already belongs to another listener");
        }
        try {
            request(XsdSockmsgType.XS_WATCH, XsPayload.cStrings(List.of(path, token)));
        } catch (RuntimeException e) {
            if (prev == null) {
                listeners.remove(token, listener);
            }
            throw e;
        }
    }

    /** Removes a watch (its listener stays registered for the token's other watches). */
    public void unwatch(String path, String token) {
        request(XsdSockmsgType.XS_UNWATCH, XsPayload.cStrings(List.of(path, token)));
    }

    /** {@code /local/domain/<domid>}, as xenstored reports it. */
    public String getDomainPath(int domid) {
        return XsPayload.oneArg(request(XsdSockmsgType.XS_GET_DOMAIN_PATH, XsPayload.cString(Integer.toString(domid))));
    }

    public boolean isDomainIntroduced(int domid) {
        byte[] r = request(XsdSockmsgType.XS_IS_DOMAIN_INTRODUCED, XsPayload.cString(Integer.toString(domid)));
        return r.length > 0 && r[0] == 'T';
    }

    /** CONTROL {@code args}: xenstored's text reply (without its NUL). */
    public String control(String... args) {
        byte[] r = request(XsdSockmsgType.XS_CONTROL, XsPayload.cStrings(List.of(args)));
        int n = r.length > 0 && r[r.length - 1] == 0 ? r.length - 1 : r.length;
        return XsPayload.latin1(r, 0, n);
    }

    /** Sends a raw request (type, transaction, payload) and returns the reply payload. For tests and tools. */
    public byte[] raw(XsdSockmsgType type, int txId, byte[] payload) {
        return request(type, txId, payload);
    }

    /** Drops this client's watches and transactions and disconnects it. */
    @Override
    public void close() {
        daemon.disconnect(conn);
        listeners.clear();
    }
}
