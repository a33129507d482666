package org.hvsim.domu.testing;

import static org.hvsim.hv.abi.xenstore.XenstoreDomainInterface.MASK_XENSTORE_IDX;
import static org.hvsim.hv.abi.xenstore.XenstoreDomainInterface.XENSTORE_RING_SIZE;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.xenstore.XenstoreDomainInterface;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/**
 * A small xenstored for tests: serves one domain's xenstore ring page from an in-memory tree
 * ({@link TestXenstore}), on its own thread, the way dom0's xenstored will: requests read off {@code req}
 * (indices checked), replies and watch events written to {@code rsp}, the guest notified after each pass
 * that moved anything.
 *
 * <p>Fault knobs: at most {@link #chunkLimit} response bytes per pass (so the guest sees partial messages),
 * EAGAIN on the next commits, raw bytes injected ahead of the next reply, a bogus {@code rsp_prod}, and the
 * {@code connection}/{@code error} fields. {@link #restart} stands in for a restarted dom0's xenstored taking
 * the ring over with an empty store.
 *
 * <p>Threads: its server thread, and the test thread through the public methods; both under this object's
 * monitor. {@link #kick} may be called from any thread (a vCPU's event channel send).
 */
public final class RingXenstored implements AutoCloseable {
    private final GuestMemory m;
    private final long page;
    private final int domid;
    private TestXenstore store;
    private boolean awaitingGuest;
    private boolean held;
    private final Runnable notifyGuest;
    private final Semaphore kicks = new Semaphore(0);
    private final Thread thread;
    private volatile boolean stop;

    private int reqCons;
    private int rspProd;
    private final ByteArrayOutputStream in = new ByteArrayOutputStream();
    private byte[] out = new byte[0];
    private int outPos;
    private int chunkLimit = XENSTORE_RING_SIZE;
    private boolean corruptRspProd;
    private final List<String> problems = new ArrayList<>();

    /**
     * Serves the ring page at guest-physical {@code page} of {@code memory} for domain {@code domid};
     * {@code notifyGuest} raises the guest's store port. Call {@link #start}.
     */
    public RingXenstored(GuestMemory memory, long page, int domid, Runnable notifyGuest) {
        this.m = memory;
        this.page = page;
        this.domid = domid;
        this.store = new TestXenstore(domid, this::append);
        this.notifyGuest = notifyGuest;
        this.reqCons = m.getIntAcquire(page + XenstoreDomainInterface.REQ_CONS);
        this.rspProd = m.getIntAcquire(page + XenstoreDomainInterface.RSP_PROD);
        this.thread = Thread.ofPlatform().daemon().name("ring-xenstored-d" + domid).unstarted(this::serve);
    }

    public RingXenstored start() {
        thread.start();
        return this;
    }

    /** The domain whose ring this serves. */
    public int domid() {
        return domid;
    }

    /** The guest notified the store port. */
    public void kick() {
        kicks.release();
    }

    private void serve() {
        while (!stop) {
            boolean kicked;
            try {
                kicked = kicks.tryAcquire(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            boolean notify;
            synchronized (this) {
                if (awaitingGuest && kicked) {
                    // The guest signalled back after the reset: the ring is reset again and connected.
                    zeroIndices();
                    awaitingGuest = false;
                    m.putIntRelease(page + XenstoreDomainInterface.CONNECTION, XenstoreDomainInterface.XENSTORE_CONNECTED);
                    notify = true;
                } else {
                    notify = !awaitingGuest && !held && serviceOnce();
                }
                notifyAll();
            }
            if (notify) {
                notifyGuest.run();
            }
        }
    }

    /** One pass: consume requests, answer them, write at most one chunk of output. Returns whether to notify. */
    private boolean serviceOnce() {
        boolean notify = false;
        int prod = m.getIntAcquire(page + XenstoreDomainInterface.REQ_PROD);
        int avail = prod - reqCons;
        if (Integer.compareUnsigned(avail, XENSTORE_RING_SIZE) > 0) {
            problems.add("guest req_prod " + prod + " is more than a ring past req_cons " + reqCons);
            return false;
        }
        for (int i = 0; i < avail; i++) {
            in.write(m.getByte(page + XenstoreDomainInterface.REQ + ((reqCons + i) & MASK_XENSTORE_IDX)));
        }
        if (avail > 0) {
            reqCons += avail;
            m.putIntRelease(page + XenstoreDomainInterface.REQ_CONS, reqCons);
            notify = true;
            parseRequests();
        }
        int pendingOut = out.length - outPos;
        if (pendingOut > 0) {
            int cons = m.getIntAcquire(page + XenstoreDomainInterface.RSP_CONS);
            int free = XENSTORE_RING_SIZE - (rspProd - cons);
            int n = Math.min(Math.min(free, chunkLimit), pendingOut);
            for (int i = 0; i < n; i++) {
                m.putByte(page + XenstoreDomainInterface.RSP + ((rspProd + i) & MASK_XENSTORE_IDX), out[outPos + i]);
            }
            outPos += n;
            rspProd += n;
            m.putIntRelease(page + XenstoreDomainInterface.RSP_PROD, corruptRspProd ? rspProd + 5000 : rspProd);
            notify |= n > 0;
        }
        return notify;
    }

    private void parseRequests() {
        byte[] b = in.toByteArray();
        int off = 0;
        while (b.length - off >= XsdSockmsg.SIZE) {
            XsdSockmsg h = XsdSockmsg.read(b, off);
            if (h.lenUnsigned() > XsdSockmsg.XENSTORE_PAYLOAD_MAX) {
                problems.add("guest sent a request with len " + h.lenUnsigned());
                off = b.length;
                break;
            }
            if (b.length - off - XsdSockmsg.SIZE < h.len()) {
                break;
            }
            byte[] payload = Arrays.copyOfRange(b, off + XsdSockmsg.SIZE, off + XsdSockmsg.SIZE + h.len());
            off += XsdSockmsg.SIZE + h.len();
            store.handle(h, payload);
        }
        in.reset();
        in.write(b, off, b.length - off);
    }

    /** Queues one whole message (or raw bytes) for the guest. */
    private void append(byte[] bytes) {
        byte[] rest = Arrays.copyOfRange(out, outPos, out.length);
        out = new byte[rest.length + bytes.length];
        System.arraycopy(rest, 0, out, 0, rest.length);
        System.arraycopy(bytes, 0, out, rest.length, bytes.length);
        outPos = 0;
    }

    // ---- what tests use ----

    /** Writes {@code path} (relative to the domain's home unless absolute) as a tool in dom0 would. */
    public synchronized void write(String path, String value) {
        store.write(path, value);
        notifyAll();
        kick();
    }

    /** The value of {@code path}, if the node exists. */
    public synchronized Optional<String> value(String path) {
        return store.value(path);
    }

    /** The names of {@code path}'s children. */
    public synchronized List<String> list(String path) {
        return store.list(path);
    }

    /** Every request served so far, as {@code "TYPE first-argument [(tx N)]"}. */
    public synchronized List<String> log() {
        return store.log();
    }

    /** The watches the guest has registered, as {@code path token}. */
    public synchronized List<String> watches() {
        return store.watches();
    }

    /** Protocol errors the guest made (none expected). */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** Writes at most {@code bytes} of responses per pass (each pass waits for the guest's next notification). */
    public synchronized void chunkLimit(int bytes) {
        chunkLimit = bytes;
    }

    /** Answers the next {@code n} commits with EAGAIN (and discards those transactions). */
    public synchronized void failCommits(int n) {
        store.failCommits(n);
    }

    /** Answers the next request with a message of {@code type} carrying {@code payload} and a NUL. */
    public synchronized void answerNext(int type, String payload) {
        store.answerNext(type, payload);
    }

    /** Queues {@code bytes} as they are, ahead of whatever is answered next. */
    public synchronized void inject(byte[] bytes) {
        append(bytes);
        kick();
    }

    /** A watch event for {@code token}, injected ahead of the next reply. */
    public synchronized void injectWatchEvent(String path, String token) {
        store.event(path, token);
        kick();
    }

    /** From now on publishes {@code rsp_prod} 5000 bytes ahead of what it wrote. */
    public synchronized void corruptResponseProducer() {
        corruptRspProd = true;
    }

    /**
     * A new xenstored with an empty store takes the ring over, as dom0's does when a restarted dom0
     * introduces the domain again: {@code connection} to {@code XENSTORE_RECONNECT}, then the indices zeroed,
     * then the guest notified; the ring is connected again when the guest signals back.
     */
    public void restart() {
        synchronized (this) {
            store = new TestXenstore(domid, this::append);
            in.reset();
            out = new byte[0];
            outPos = 0;
            awaitingGuest = true;
            held = false;
            kicks.drainPermits();
            m.putIntRelease(page + XenstoreDomainInterface.CONNECTION, XenstoreDomainInterface.XENSTORE_RECONNECT);
            zeroIndices();
        }
        notifyGuest.run();
    }

    /** Stops serving the ring (requests are left unread) until {@link #restart}, as a dom0 that died does. */
    public synchronized void hold() {
        held = true;
    }

    /** Whether {@link #restart} is waiting for the guest to signal back. */
    public synchronized boolean awaitingGuest() {
        return awaitingGuest;
    }

    private void zeroIndices() {
        reqCons = 0;
        rspProd = 0;
        m.putIntRelease(page + XenstoreDomainInterface.REQ_CONS, 0);
        m.putIntRelease(page + XenstoreDomainInterface.REQ_PROD, 0);
        m.putIntRelease(page + XenstoreDomainInterface.RSP_CONS, 0);
        m.putIntRelease(page + XenstoreDomainInterface.RSP_PROD, 0);
    }

    /** Sets {@code connection} and notifies the guest (as xenstored ends a reconnection). */
    public void connection(int value) {
        m.putIntRelease(page + XenstoreDomainInterface.CONNECTION, value);
        notifyGuest.run();
    }

    /** Offers {@code XENSTORE_SERVER_FEATURE_ERROR} and sets {@code error}, stopping service of the ring. */
    public synchronized void stopWithError(int error) {
        m.putIntRelease(page + XenstoreDomainInterface.SERVER_FEATURES,
                XenstoreDomainInterface.XENSTORE_SERVER_FEATURE_ERROR);
        m.putIntRelease(page + XenstoreDomainInterface.ERROR, error);
        stop = true;
    }

    /** Waits until {@code condition} holds of this server, for at most {@code timeoutMs}. */
    public synchronized void await(Predicate<RingXenstored> condition, long timeoutMs, String what) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + "; " + store);
            }
            try {
                wait(Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        kick();
        thread.join(10_000);
    }
}
