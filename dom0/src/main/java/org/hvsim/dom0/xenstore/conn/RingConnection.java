package org.hvsim.dom0.xenstore.conn;

import static org.hvsim.hv.abi.xenstore.XenstoreDomainInterface.*;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.hvsim.dom0.xenstore.core.Connection;
import org.hvsim.dom0.xenstore.core.Domain;
import org.hvsim.dom0.xenstore.core.Quota;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.dom0.xenstore.core.XenstoredCore;
import org.hvsim.dom0.xenstore.wire.XsFrameAssembler;
import org.hvsim.dom0.xenstore.wire.XsFrameException;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/**
 * xenstored's end of one domain's ring page ({@code domain_funcs} in C xenstored's domain.c). The guest
 * owns {@code req_prod} and {@code rsp_cons} and may write anything into them: each pass reads the
 * indices once (acquire), rejects {@code prod - cons > XENSTORE_RING_SIZE} by marking the connection
 * broken with {@code XENSTORE_ERROR_RINGIDX} (and serving it no more), copies request bytes out through
 * the frame assembler before acting, and publishes its own indices with release stores. A pass handles
 * at most {@code requestsPerPass} requests and then queues itself behind the other connections. While
 * the domain has its {@code outstanding} quota of unread replies, or is at its memory quota, no request
 * is read; watch events beyond the memory quota are dropped, and those the guest leaves unread for
 * {@value #EVENT_TIMEOUT_NS} ns are discarded, as in C xenstored. The guest may ask for a reset through
 * the {@code connection} field (XENSTORE_SERVER_FEATURE_RECONNECTION).
 *
 * <p>Threads: {@link #eventArrived()} from any thread (the integrator's event channel handler);
 * everything else on the dispatch thread.
 */
public final class RingConnection extends Connection {
    /** Features this server offers in {@code server_features}. */
    public static final int OFFERED_FEATURES = XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR
            | XENSTORE_SERVER_FEATURE_WATCHDEPTH;
    /** How long an unread watch event is kept for an unprivileged domain (C: {@code -w watch-event=20}). */
    public static final long EVENT_TIMEOUT_NS = 20_000_000_000L;

    private final XenstoredCore core;
    private final GuestMemory page;
    private final Runnable notify;
    private final Runnable onClose;
    private final Executor dispatch;
    private final LongSupplier nanoClock;
    private final RateLimitedLog log;
    private final int requestsPerPass;
    private final XsFrameAssembler in = new XsFrameAssembler();
    private final ArrayDeque<Outgoing> out = new ArrayDeque<>();
    private final byte[] chunk = new byte[XENSTORE_RING_SIZE];
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private boolean inPass;
    private boolean broken;
    private boolean awaitingGuest;

    private static final class Outgoing {
        final byte[] bytes;
        final boolean event;
        final long deadline;
        int written;

        Outgoing(byte[] bytes, boolean event, long deadline) {
            this.bytes = bytes;
            this.event = event;
            this.deadline = deadline;
        }
    }

    /**
     * @param page the guest's ring page, at guest-physical address 0 of this memory
     * @param notify signals the guest's event channel
     * @param onClose releases the mapping and the event channel when xenstored stops serving the domain
     */
    public RingConnection(XenstoredCore core, Domain domain, GuestMemory page, Runnable notify, Runnable onClose,
            Executor dispatch, LongSupplier nanoClock, RateLimitedLog log, int requestsPerPass) {
        super(domain);
        this.core = core;
        this.page = Objects.requireNonNull(page);
        this.notify = Objects.requireNonNull(notify);
        this.onClose = Objects.requireNonNull(onClose);
        this.dispatch = dispatch;
        this.nanoClock = nanoClock;
        this.log = log;
        if (requestsPerPass < 1) {
            throw new IllegalArgumentException("requestsPerPass must be positive");
        }
        this.requestsPerPass = requestsPerPass;
    }

    /**
     * Brings the page to its initial state ({@code domain_conn_reset()} at INTRODUCE): features offered,
     * all indices 0, no error, a pending reconnect request acknowledged; then signals the guest.
     *
     * <p>A page whose indices are not all 0 was in use by an earlier xenstored (a restarted dom0
     * introduces its surviving domains again), and the guest still holds its own copies of them. Such a
     * ring is taken over through the reconnection handshake of {@code xenstore-ring.txt}, started here on
     * the guest's behalf: {@code connection} is set to {@code XENSTORE_RECONNECT} first, then the
     * indices are zeroed and the guest signalled. The ring stays in {@code XENSTORE_RECONNECT} (nothing
     * is read or written) until the guest signals back, having dropped its copies; that pass resets the
     * ring again and sets {@code XENSTORE_CONNECTED} (as for a reconnect the guest asked for). Setting
     * {@code XENSTORE_RECONNECT} before touching the indices means a guest that sees zeroed indices also
     * sees the reset request. Returns whether the handshake was started ({@link #awaitingGuest()}).
     */
    public boolean start() {
        try {
            page.putIntRelease(SERVER_FEATURES, OFFERED_FEATURES);
            if (page.getIntAcquire(CONNECTION) == XENSTORE_CONNECTED && ringInUse()) {
                page.putIntRelease(CONNECTION, XENSTORE_RECONNECT);
                zeroIndices();
                awaitingGuest = true;
                notify.run();
                return true;
            }
            resetRing();
        } catch (GuestMemoryFault e) {
            fail(XENSTORE_ERROR_COMM, "page not accessible: " + e.getMessage());
        }
        return false;
    }

    /** Whether {@link #start} asked the guest to reconnect and the guest has not signalled back yet. */
    public boolean awaitingGuest() {
        return awaitingGuest;
    }

    private boolean ringInUse() {
        return (page.getIntAcquire(REQ_CONS) | page.getIntAcquire(REQ_PROD) | page.getIntAcquire(RSP_CONS)
                | page.getIntAcquire(RSP_PROD)) != 0;
    }

    /** The guest signalled its event channel: schedules a pass on the dispatch thread. Any thread. */
    public void eventArrived() {
        if (scheduled.compareAndSet(false, true)) {
            dispatch.execute(this::pass);
        }
    }

    /** Whether the connection was stopped for a protocol or index error. */
    public boolean broken() {
        return broken;
    }

    /** Bytes queued for the guest (replies and events not yet in its ring). */
    public int queuedBytes() {
        int n = 0;
        for (Outgoing o : out) {
            n += o.bytes.length - o.written;
        }
        return n;
    }

    /** Serves the ring once: output first, then up to {@code requestsPerPass} requests, then output again. */
    void pass() {
        scheduled.set(false);
        if (closed()) {
            return;
        }
        inPass = true;
        try {
            if (page.getIntAcquire(CONNECTION) == XENSTORE_RECONNECT) {
                reconnect();
                return;
            }
            if (broken) {
                return;
            }
            boolean progress = flush();
            int handled = 0;
            while (!broken && !closed() && handled < requestsPerPass && canRead()) {
                int n = readChunk();
                if (n <= 0) {
                    break;
                }
                progress = true;
                XsMessage m = in.take();
                if (m != null) {
                    core.process(this, m);
                    handled++;
                    flush();
                }
            }
            if (!broken && !closed()) {
                progress |= flush();
                if (progress) {
                    notify.run();
                }
                if (handled == requestsPerPass && canRead() && page.getIntAcquire(REQ_PROD) != page.getInt(REQ_CONS)) {
                    eventArrived();
                }
            }
        } catch (GuestMemoryFault e) {
            fail(XENSTORE_ERROR_COMM, "page not accessible: " + e.getMessage());
        } finally {
            inPass = false;
        }
    }

    /** Whether the domain may have another request read ({@code domain_can_read()}). */
    private boolean canRead() {
        Domain d = domain();
        long outstanding = d.hardLimit(Quota.OUTSTANDING);
        if (outstanding != 0 && d.usage(Quota.OUTSTANDING) >= outstanding) {
            return false;
        }
        return !d.atMemoryQuota(d.usage(Quota.MEMORY));
    }

    /**
     * Copies the next piece of request bytes (at most what the current message still needs, and not
     * across the ring's end) into the assembler. Returns the bytes taken, 0 if none, -1 if the
     * connection broke.
     */
    private int readChunk() {
        int cons = page.getInt(REQ_CONS);
        int prod = page.getIntAcquire(REQ_PROD);
        int avail = prod - cons;
        if (Integer.compareUnsigned(avail, XENSTORE_RING_SIZE) > 0) {
            fail(XENSTORE_ERROR_RINGIDX, "request indices cons=" + Integer.toUnsignedString(cons) + " prod="
                    + Integer.toUnsignedString(prod));
            return -1;
        }
        int n = Math.min(Math.min(avail, XENSTORE_RING_SIZE - maskIndex(cons)), in.needed());
        if (n == 0) {
            return 0;
        }
        page.read(REQ + maskIndex(cons), chunk, 0, n);
        page.putIntRelease(REQ_CONS, cons + n);
        try {
            in.feed(chunk, 0, n);
        } catch (XsFrameException e) {
            fail(XENSTORE_ERROR_PROTO, e.getMessage());
            return -1;
        }
        return n;
    }

    /** Writes queued output into the response ring as space allows. Returns whether anything was written. */
    private boolean flush() {
        if (out.isEmpty() || broken) {
            return false;
        }
        dropExpiredEvents();
        int cons = page.getIntAcquire(RSP_CONS);
        int prod = page.getInt(RSP_PROD);
        int used = prod - cons;
        if (Integer.compareUnsigned(used, XENSTORE_RING_SIZE) > 0) {
            fail(XENSTORE_ERROR_RINGIDX, "response indices cons=" + Integer.toUnsignedString(cons) + " prod="
                    + Integer.toUnsignedString(prod));
            return false;
        }
        int start = prod;
        int space = XENSTORE_RING_SIZE - used;
        while (space > 0 && !out.isEmpty()) {
            Outgoing o = out.peekFirst();
            int n = Math.min(Math.min(space, XENSTORE_RING_SIZE - maskIndex(prod)), o.bytes.length - o.written);
            page.write(RSP + maskIndex(prod), o.bytes, o.written, n);
            o.written += n;
            prod += n;
            space -= n;
            if (o.written == o.bytes.length) {
                out.pollFirst();
                account(o, -1);
            }
        }
        if (prod != start) {
            page.putIntRelease(RSP_PROD, prod);
            return true;
        }
        return false;
    }

    private void dropExpiredEvents() {
        long now = nanoClock.getAsLong();
        for (Iterator<Outgoing> it = out.iterator(); it.hasNext();) {
            Outgoing o = it.next();
            if (o.event && o.written == 0 && now - o.deadline > 0) {
                it.remove();
                account(o, -1);
                log.warn("d{}: watch event unread for {} s, dropped", domid(), EVENT_TIMEOUT_NS / 1_000_000_000L);
            }
        }
    }

    @Override
    protected void sendReply(XsMessage reply) {
        if (broken || closed()) {
            return;
        }
        Outgoing o = new Outgoing(reply.encode(), false, 0);
        out.addLast(o);
        account(o, 1);
        schedule();
    }

    @Override
    protected boolean sendEvent(XsMessage event) {
        if (broken || closed()) {
            return false;
        }
        byte[] bytes = event.encode();
        if (bytes[XsdSockmsg.SIZE] != '@') {
            for (Outgoing o : out) {
                if (o.event && o.written == 0 && Arrays.equals(o.bytes, bytes)) {
                    return true;
                }
            }
        }
        Domain d = domain();
        if (d.atMemoryQuota(d.usage(Quota.MEMORY) + bytes.length)) {
            log.warn("d{}: at its memory quota, watch event dropped", domid());
            return false;
        }
        Outgoing o = new Outgoing(bytes, true, nanoClock.getAsLong() + EVENT_TIMEOUT_NS);
        out.addLast(o);
        account(o, 1);
        schedule();
        return true;
    }

    /** Outstanding replies and queued bytes count against the domain's quotas. */
    private void account(Outgoing o, int sign) {
        if (!o.event) {
            domain().add(Quota.OUTSTANDING, sign);
        }
        domain().add(Quota.MEMORY, (long) sign * o.bytes.length);
    }

    private void schedule() {
        if (!inPass) {
            eventArrived();
        }
    }

    /** Stops serving the guest ({@code ignore_connection()}): records the error and drops all state. */
    private void fail(int error, String why) {
        log.warn("d{}: xenstore ring broken ({}): {}", domid(), error, why);
        broken = true;
        dropState();
        try {
            page.putIntRelease(ERROR, error);
        } catch (GuestMemoryFault e) {
            // The page is gone: nothing to tell the guest.
        }
    }

    private void dropState() {
        in.reset();
        while (!out.isEmpty()) {
            account(out.pollFirst(), -1);
        }
        core.reset(this);
    }

    /** The guest asked for a reconnect: everything is dropped and the ring starts over. */
    private void reconnect() {
        dropState();
        broken = false;
        awaitingGuest = false;
        resetRing();
    }

    private void resetRing() {
        zeroIndices();
        if (page.getIntAcquire(CONNECTION) == XENSTORE_RECONNECT) {
            page.putIntRelease(CONNECTION, XENSTORE_CONNECTED);
        }
        notify.run();
    }

    private void zeroIndices() {
        page.putIntRelease(REQ_CONS, 0);
        page.putIntRelease(REQ_PROD, 0);
        page.putIntRelease(RSP_CONS, 0);
        page.putIntRelease(RSP_PROD, 0);
        page.putIntRelease(ERROR, XENSTORE_ERROR_NONE);
    }

    @Override
    protected void closeTransport() {
        while (!out.isEmpty()) {
            account(out.pollFirst(), -1);
        }
        in.reset();
        onClose.run();
    }
}
