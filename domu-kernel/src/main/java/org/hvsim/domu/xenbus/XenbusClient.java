package org.hvsim.domu.xenbus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.EventChannels;
import org.hvsim.domu.event.Ipis;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * The kernel's XenStore API (Linux's {@code xenbus_read}, {@code xenbus_write}, {@code register_xenbus_watch}
 * ...). Every call is a request to xenstored that blocks the calling vCPU until the reply is in; an
 * {@code XS_ERROR} reply throws {@link XenbusException} carrying the error. Paths without a leading
 * {@code /} are relative to the domain's home, {@code /local/domain/<domid>}, which xenstored resolves.
 *
 * <p>Threads: any vCPU, at task level (never in an event handler); several vCPUs may have requests
 * outstanding at once.
 */
public final class XenbusClient {
    /** Attempts {@link #transaction} makes before it gives up on {@code EAGAIN}. */
    public static final int MAX_TRANSACTION_ATTEMPTS = 64;

    private final XenbusConnection connection;
    private final AtomicLong tokens = new AtomicLong();

    XenbusClient(XenbusConnection connection) {
        this.connection = connection;
    }

    /**
     * Attaches to the ring at guest-physical {@code ringAddress} and binds the store port {@code port}'s
     * handler on {@code cpu} (the vCPU the port notifies). Sends nothing.
     */
    public static XenbusClient attach(PerCpu cpu, EventChannels channels, Ipis ipis, long ringAddress, int port) {
        XenbusConnection c = new XenbusConnection(new XenstoreRing(ringAddress),
                new StoreEventChannel(channels, ipis, port));
        c.tryConnect(cpu.memory());
        channels.bind(cpu, port, (pc, p) -> c.onEvent(pc));
        return new XenbusClient(c);
    }

    /** A client over {@code ring} at guest-physical {@code ringAddress}, signalling through {@code signals}. */
    static XenbusClient over(long ringAddress, XenbusSignals signals) {
        return new XenbusClient(new XenbusConnection(new XenstoreRing(ringAddress), signals));
    }

    /** The store port fired: what the kernel's event handler runs; tests standing in for the hypervisor call it. */
    void onStoreEvent(PerCpu cpu) {
        connection.onEvent(cpu);
    }

    // ---- reads and writes ----

    /** {@code XS_READ}: the value of {@code path} as UTF-8. */
    public String read(PerCpu cpu, XenbusTransaction t, String path) {
        return new String(readBytes(cpu, t, path), StandardCharsets.UTF_8);
    }

    /** {@code XS_READ}: the value of {@code path}. */
    public byte[] readBytes(PerCpu cpu, XenbusTransaction t, String path) {
        return call(cpu, XsRequest.strings(XsdSockmsgType.XS_READ, t.id(), path), XsMessage::payload);
    }

    /** {@code XS_WRITE}: sets {@code path} to {@code value} (UTF-8), creating it and missing parents. */
    public void write(PerCpu cpu, XenbusTransaction t, String path, String value) {
        write(cpu, t, path, value.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code XS_WRITE} of raw bytes. */
    public void write(PerCpu cpu, XenbusTransaction t, String path, byte[] value) {
        call(cpu, XsRequest.pathAndValue(XsdSockmsgType.XS_WRITE, t.id(), path, value), r -> null);
    }

    /** {@code XS_MKDIR}: creates {@code path} and missing parents; an existing node is left as it is. */
    public void mkdir(PerCpu cpu, XenbusTransaction t, String path) {
        call(cpu, XsRequest.strings(XsdSockmsgType.XS_MKDIR, t.id(), path), r -> null);
    }

    /** {@code XS_RM}: removes {@code path} and everything below it. */
    public void rm(PerCpu cpu, XenbusTransaction t, String path) {
        call(cpu, XsRequest.strings(XsdSockmsgType.XS_RM, t.id(), path), r -> null);
    }

    /** {@code XS_DIRECTORY}: the names of {@code path}'s children. */
    public List<String> directory(PerCpu cpu, XenbusTransaction t, String path) {
        return call(cpu, XsRequest.strings(XsdSockmsgType.XS_DIRECTORY, t.id(), path), XsMessage::strings);
    }

    /** {@code XS_GET_PERMS}: {@code path}'s permission list, owner first. */
    public List<XsPermission> getPerms(PerCpu cpu, XenbusTransaction t, String path) {
        return call(cpu, XsRequest.strings(XsdSockmsgType.XS_GET_PERMS, t.id(), path), r -> {
            List<XsPermission> perms = new ArrayList<>();
            for (String s : r.strings()) {
                try {
                    perms.add(XsPermission.parse(s));
                } catch (IllegalArgumentException e) {
                    throw new XsProtocolException(e.getMessage());
                }
            }
            return perms;
        });
    }

    /** {@code XS_SET_PERMS}: replaces {@code path}'s permission list (owner first). */
    public void setPerms(PerCpu cpu, XenbusTransaction t, String path, List<XsPermission> perms) {
        String[] args = new String[perms.size() + 1];
        args[0] = path;
        for (int i = 0; i < perms.size(); i++) {
            args[i + 1] = perms.get(i).toString();
        }
        call(cpu, XsRequest.strings(XsdSockmsgType.XS_SET_PERMS, t.id(), args), r -> null);
    }

    /** {@code XS_GET_DOMAIN_PATH}: the home path of domain {@code domid} ({@code /local/domain/<domid>}). */
    public String getDomainPath(PerCpu cpu, int domid) {
        return call(cpu, XsRequest.strings(XsdSockmsgType.XS_GET_DOMAIN_PATH, 0, Integer.toString(domid)),
                XsMessage::string);
    }

    // ---- transactions ----

    /** {@code XS_TRANSACTION_START}. */
    public XenbusTransaction transactionStart(PerCpu cpu) {
        return call(cpu, XsRequest.strings(XsdSockmsgType.XS_TRANSACTION_START, 0, ""),
                r -> XenbusTransaction.parse(r.string()));
    }

    /**
     * {@code XS_TRANSACTION_END}: commits ({@code commit}) or discards {@code t}. A commit that conflicted with
     * another change throws {@link XenbusException} with {@code EAGAIN}: start again.
     */
    public void transactionEnd(PerCpu cpu, XenbusTransaction t, boolean commit) {
        call(cpu, XsRequest.strings(XsdSockmsgType.XS_TRANSACTION_END, t.id(), commit ? "T" : "F"), r -> null);
    }

    /**
     * Runs {@code body} in a transaction and commits it, starting over while the commit fails with
     * {@code EAGAIN} (at most {@value #MAX_TRANSACTION_ATTEMPTS} attempts, then that {@code EAGAIN} is thrown).
     * If {@code body} throws, the transaction is discarded and the exception passed on. Returns what the
     * committed attempt's body returned.
     */
    public <R> R transaction(PerCpu cpu, XenbusTransaction.Body<R> body) {
        for (int attempt = 1; ; attempt++) {
            XenbusTransaction t = transactionStart(cpu);
            R result;
            try {
                result = body.run(t);
            } catch (RuntimeException e) {
                try {
                    transactionEnd(cpu, t, false);
                } catch (XenbusException abort) {
                    e.addSuppressed(abort);
                }
                throw e;
            }
            try {
                transactionEnd(cpu, t, true);
                return result;
            } catch (XenbusException e) {
                if (e.error() != XsdError.EAGAIN || attempt >= MAX_TRANSACTION_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    // ---- watches ----

    /**
     * {@code XS_WATCH} on {@code path}: {@code callback} runs (on the xenwatch worker) once right away, as
     * xenstored fires every new watch, and after every change at or below {@code path}.
     */
    public XenbusWatch watch(PerCpu cpu, String path, XenbusWatch.Callback callback) {
        XenbusWatch w = new XenbusWatch(path, Long.toHexString(tokens.incrementAndGet()).toUpperCase(), callback);
        // Registered before the request, so the event xenstored fires at once finds it.
        connection.addWatch(w);
        try {
            call(cpu, XsRequest.strings(XsdSockmsgType.XS_WATCH, 0, path, w.token()), r -> null);
        } catch (RuntimeException e) {
            connection.removeWatch(w);
            throw e;
        }
        return w;
    }

    /**
     * {@code XS_UNWATCH}: no callback of {@code watch} starts after this returns, and none is running unless
     * this is called from that callback. Events already queued for it are dropped.
     */
    public void unwatch(PerCpu cpu, XenbusWatch watch) {
        if (!connection.removeWatch(watch)) {
            throw new IllegalArgumentException(watch + " is not registered");
        }
        try {
            call(cpu, XsRequest.strings(XsdSockmsgType.XS_UNWATCH, 0, watch.path(), watch.token()), r -> null);
        } finally {
            connection.xenwatch().purge(watch);
            connection.xenwatch().awaitIdle(cpu, watch);
        }
    }

    // ---- the kernel's side ----

    /** The worker that runs watch callbacks; the kernel runs it when a vCPU waits. */
    public XenwatchWorker xenwatch() {
        return connection.xenwatch();
    }

    /**
     * Runs {@code task} on the xenwatch worker once xenstored has connected the ring (at once if it has):
     * Linux's {@code register_xenstore_notifier}, so that nothing at boot waits for xenstored.
     */
    public void whenConnected(XenwatchTask task) {
        connection.postWhenConnected(task);
    }

    /**
     * Runs {@code task} on the xenwatch worker after every reconnection to a new xenstored (a restarted dom0),
     * once the client has registered its watches again: what the kernel published before is gone with the
     * old xenstored, and a task republishes it.
     */
    public void whenReconnected(XenwatchTask task) {
        connection.postOnReconnect(task);
    }

    /** How many times a new xenstored has taken the ring over. */
    public long reconnects() {
        return connection.reconnects();
    }

    /** Whether xenstored has connected the ring. */
    public boolean connected() {
        return connection.connected();
    }

    /** Why the connection stopped, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(connection.failure());
    }

    /**
     * Whether, when the ring was connected, xenstored had requests left unread (Linux: "request ring is not
     * quiescent") or responses the client then skipped ("response ring is not quiescent: fixing up").
     */
    public Optional<String> ringNotQuiescent() {
        XenstoreRing.Resync r = connection.resyncAtConnect();
        if (r == null || (!r.requestsPending() && !r.responsesDiscarded())) {
            return Optional.empty();
        }
        return Optional.of((r.requestsPending() ? "request ring not quiescent (" + hex(r.reqCons()) + ":"
                + hex(r.reqProd()) + ")" : "")
                + (r.requestsPending() && r.responsesDiscarded() ? "; " : "")
                + (r.responsesDiscarded() ? "response ring not quiescent (" + hex(r.rspCons()) + ":"
                + hex(r.rspProd()) + "): fixed up" : ""));
    }

    /** Replies that matched no outstanding request (dropped). */
    public long unexpectedReplies() {
        return connection.unexpectedReplies();
    }

    /** Watch events with a malformed payload or an unknown token (dropped). */
    public long badWatchEvents() {
        return connection.badWatchEvents();
    }

    private <R> R call(PerCpu cpu, XsRequest req, Function<XsMessage, R> parse) {
        XsMessage reply = connection.request(cpu, req);
        try {
            return parse.apply(reply);
        } catch (XsProtocolException e) {
            throw new XenbusException(XsdError.EIO, req.type() + " reply: " + e.getMessage());
        }
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }
}
