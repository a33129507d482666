package org.hvsim.domu.testing;

import static org.hvsim.hv.abi.xenstore.XenstoreDomainInterface.MASK_XENSTORE_IDX;
import static org.hvsim.hv.abi.xenstore.XenstoreDomainInterface.XENSTORE_RING_SIZE;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.xenstore.XenstoreDomainInterface;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * A small xenstored for tests: serves one domain's xenstore ring page from an in-memory tree, on its own
 * thread, the way dom0's xenstored will: requests read off {@code req}, replies (and watch events, which
 * C xenstored queues before the reply that caused them) written to {@code rsp}, the guest notified after
 * each pass. Enough of XenStore for the guest's tests: read, write (creating parents), mkdir, rm,
 * directory, get/set_perms, watch/unwatch (firing once on registration and on changes at or below the
 * path), transactions (writes buffered until commit, fired at commit), get_domain_path; ENOSYS for the
 * rest. Its permission rule is simpler than xenstored's: the domain may write only below its home
 * ({@code /local/domain/<domid>/...}); EACCES elsewhere.
 *
 * <p>Fault knobs: at most {@link #chunkLimit} response bytes per pass (so the guest sees partial messages),
 * EAGAIN on the next commits, raw bytes injected ahead of the next reply, a bogus {@code rsp_prod}, and the
 * {@code connection}/{@code error} fields.
 *
 * <p>Threads: its server thread, and the test thread through the public methods; both under this object's
 * monitor. {@link #kick} may be called from any thread (a vCPU's event channel send).
 */
public final class RingXenstored implements AutoCloseable {
    private static final String OK = "OK";

    private record Watch(String path, String token) {}

    private final GuestMemory m;
    private final long page;
    private final int domid;
    private final String home;
    private final Runnable notifyGuest;
    private final Semaphore kicks = new Semaphore(0);
    private final Thread thread;
    private volatile boolean stop;

    private int reqCons;
    private int rspProd;
    private final ByteArrayOutputStream in = new ByteArrayOutputStream();
    private byte[] out = new byte[0];
    private int outPos;
    private final TreeMap<String, String> nodes = new TreeMap<>();
    private final Map<String, String> perms = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private final Map<Integer, TreeMap<String, Optional<String>>> transactions = new HashMap<>();
    private int nextTx = 1;
    private int chunkLimit = XENSTORE_RING_SIZE;
    private int eagainCommits;
    private boolean corruptRspProd;
    private int overrideType = -1;
    private String overridePayload;
    private final List<String> log = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int passes;

    /**
     * Serves the ring page at guest-physical {@code page} of {@code memory} for domain {@code domid};
     * {@code notifyGuest} raises the guest's store port. Call {@link #start}.
     */
    public RingXenstored(GuestMemory memory, long page, int domid, Runnable notifyGuest) {
        this.m = memory;
        this.page = page;
        this.domid = domid;
        this.home = "/local/domain/" + domid;
        this.notifyGuest = notifyGuest;
        this.reqCons = m.getIntAcquire(page + XenstoreDomainInterface.REQ_CONS);
        this.rspProd = m.getIntAcquire(page + XenstoreDomainInterface.RSP_PROD);
        this.thread = Thread.ofPlatform().daemon().name("ring-xenstored-d" + domid).unstarted(this::serve);
        nodes.put("/", "");
        nodes.put("/local", "");
        nodes.put("/local/domain", "");
        nodes.put(home, "");
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
            try {
                kicks.tryAcquire(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            boolean notify;
            synchronized (this) {
                notify = serviceOnce();
                passes++;
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
            handle(h, payload);
        }
        in.reset();
        in.write(b, off, b.length - off);
    }

    // ---- requests ----

    private void handle(XsdSockmsg h, byte[] payload) {
        XsdSockmsgType type = XsdSockmsgType.of(Integer.toUnsignedLong(h.type()));
        List<String> args = strings(payload);
        String first = args.isEmpty() ? "" : args.get(0);
        log.add((type == null ? "type " + h.type() : type.name().substring(3)) + " " + first
                + (h.txId() != 0 ? " (tx " + h.txId() + ")" : ""));
        if (overrideType >= 0) {
            emit(overrideType, h.reqId(), h.txId(), nulTerminated(List.of(overridePayload)));
            overrideType = -1;
            return;
        }
        if (type == null) {
            reply(h, XsdSockmsgType.XS_ERROR, "ENOSYS");
            return;
        }
        TreeMap<String, Optional<String>> tx = null;
        if (h.txId() != 0 && type != XsdSockmsgType.XS_TRANSACTION_START) {
            tx = transactions.get(h.txId());
            if (tx == null) {
                reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                return;
            }
        }
        String path = first.isEmpty() ? "" : resolve(first);
        switch (type) {
            case XS_READ -> {
                Optional<String> v = lookup(tx, path);
                if (v.isEmpty()) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else {
                    replyRaw(h, type, v.get().getBytes(StandardCharsets.UTF_8));
                }
            }
            case XS_WRITE -> {
                int nul = indexOfNul(payload);
                String value = new String(payload, nul + 1, payload.length - nul - 1, StandardCharsets.UTF_8);
                if (!writable(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EACCES");
                } else if (tx != null) {
                    tx.put(path, Optional.of(value));
                    reply(h, type, OK);
                } else {
                    set(path, value);
                    reply(h, type, OK);
                }
            }
            case XS_MKDIR -> {
                if (!writable(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EACCES");
                } else {
                    if (!nodes.containsKey(path)) {
                        set(path, "");
                    }
                    reply(h, type, OK);
                }
            }
            case XS_RM -> {
                if (!writable(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EACCES");
                } else if (!nodes.containsKey(parent(path))) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else {
                    if (tx != null) {
                        tx.put(path, Optional.empty());
                    } else {
                        remove(path);
                    }
                    reply(h, type, OK);
                }
            }
            case XS_DIRECTORY -> {
                if (!nodes.containsKey(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else {
                    replyStrings(h, type, children(path));
                }
            }
            case XS_GET_PERMS -> {
                if (!nodes.containsKey(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else {
                    replyStrings(h, type, List.of(perms.getOrDefault(path, defaultPerms(path)).split(" ")));
                }
            }
            case XS_SET_PERMS -> {
                if (!nodes.containsKey(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "ENOENT");
                } else if (!writable(path)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EACCES");
                } else {
                    perms.put(path, String.join(" ", args.subList(1, args.size())));
                    fire(path);
                    reply(h, type, OK);
                }
            }
            case XS_WATCH -> {
                Watch w = new Watch(first, args.size() > 1 ? args.get(1) : "");
                if (watches.contains(w)) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EEXIST");
                } else {
                    watches.add(w);
                    reply(h, type, OK);
                    event(w.path(), w.token());
                }
            }
            case XS_UNWATCH -> {
                boolean removed = watches.remove(new Watch(first, args.size() > 1 ? args.get(1) : ""));
                reply(h, removed ? type : XsdSockmsgType.XS_ERROR, removed ? OK : "ENOENT");
            }
            case XS_TRANSACTION_START -> {
                int id = nextTx++;
                transactions.put(id, new TreeMap<>());
                reply(h, type, Integer.toString(id));
            }
            case XS_TRANSACTION_END -> {
                transactions.remove(h.txId());
                if (!first.equals("T") && !first.equals("F")) {
                    reply(h, XsdSockmsgType.XS_ERROR, "EINVAL");
                } else if (first.equals("T") && eagainCommits > 0) {
                    eagainCommits--;
                    reply(h, XsdSockmsgType.XS_ERROR, "EAGAIN");
                } else {
                    if (first.equals("T")) {
                        tx.forEach((p, v) -> {
                            if (v.isPresent()) {
                                set(p, v.get());
                            } else {
                                remove(p);
                            }
                        });
                    }
                    reply(h, type, OK);
                }
            }
            case XS_GET_DOMAIN_PATH -> reply(h, type, "/local/domain/" + first);
            default -> reply(h, XsdSockmsgType.XS_ERROR, "ENOSYS");
        }
    }

    private Optional<String> lookup(TreeMap<String, Optional<String>> tx, String path) {
        if (tx != null && tx.containsKey(path)) {
            return tx.get(path);
        }
        return Optional.ofNullable(nodes.get(path));
    }

    private String resolve(String path) {
        return path.startsWith("/") || path.startsWith("@") ? path : home + "/" + path;
    }

    private boolean writable(String abs) {
        return abs.startsWith(home + "/");
    }

    private String defaultPerms(String abs) {
        return abs.equals(home) || abs.startsWith(home + "/") ? "n" + domid : "n0";
    }

    private static String parent(String abs) {
        int slash = abs.lastIndexOf('/');
        return slash <= 0 ? "/" : abs.substring(0, slash);
    }

    private List<String> children(String abs) {
        String prefix = abs.equals("/") ? "/" : abs + "/";
        List<String> c = new ArrayList<>();
        for (String p : nodes.tailMap(prefix, false).keySet()) {
            if (!p.startsWith(prefix)) {
                break;
            }
            if (p.indexOf('/', prefix.length()) < 0) {
                c.add(p.substring(prefix.length()));
            }
        }
        return c;
    }

    private void set(String abs, String value) {
        createParents(abs);
        nodes.put(abs, value);
        fire(abs);
    }

    /** Missing parents are created empty, firing no watch of their own (as in C xenstored). */
    private void createParents(String abs) {
        String p = parent(abs);
        if (!nodes.containsKey(p)) {
            createParents(p);
            nodes.put(p, "");
        }
    }

    private void remove(String abs) {
        nodes.keySet().removeIf(p -> p.equals(abs) || p.startsWith(abs + "/"));
        fire(abs);
    }

    /** Queues a watch event for every watch at or above {@code abs}. */
    private void fire(String abs) {
        for (Watch w : watches) {
            String wabs = resolve(w.path());
            if (abs.equals(wabs) || abs.startsWith(wabs.equals("/") ? "/" : wabs + "/")) {
                boolean relative = !w.path().startsWith("/");
                event(relative ? abs.substring(home.length() + 1) : abs, w.token());
            }
        }
        notifyAll();
    }

    private void event(String path, String token) {
        emit(XsdSockmsgType.XS_WATCH_EVENT.number(), 0, 0, nulTerminated(List.of(path, token)));
    }

    private void reply(XsdSockmsg h, XsdSockmsgType type, String s) {
        replyRaw(h, type, nulTerminated(List.of(s)));
    }

    private void replyStrings(XsdSockmsg h, XsdSockmsgType type, List<String> strings) {
        replyRaw(h, type, nulTerminated(strings));
    }

    private void replyRaw(XsdSockmsg h, XsdSockmsgType type, byte[] payload) {
        emit(type.number(), h.reqId(), h.txId(), payload);
    }

    private void emit(int type, int reqId, int txId, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new XsdSockmsg(type, reqId, txId, payload.length).toBytes());
        b.writeBytes(payload);
        append(b.toByteArray());
    }

    private void append(byte[] bytes) {
        byte[] rest = Arrays.copyOfRange(out, outPos, out.length);
        out = new byte[rest.length + bytes.length];
        System.arraycopy(rest, 0, out, 0, rest.length);
        System.arraycopy(bytes, 0, out, rest.length, bytes.length);
        outPos = 0;
    }

    private static byte[] nulTerminated(List<String> strings) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : strings) {
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        return b.toByteArray();
    }

    private static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return b.length;
    }

    private static List<String> strings(byte[] payload) {
        List<String> s = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                s.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return s;
    }

    // ---- what tests use ----

    /** Writes {@code path} (relative to the domain's home unless absolute) as a tool in dom0 would. */
    public synchronized void write(String path, String value) {
        set(resolve(path), value);
        kick();
    }

    /** The value of {@code path}, if the node exists. */
    public synchronized Optional<String> value(String path) {
        return Optional.ofNullable(nodes.get(resolve(path)));
    }

    /** The names of {@code path}'s children. */
    public synchronized List<String> list(String path) {
        return children(resolve(path));
    }

    /** Every request served so far, as {@code "TYPE first-argument [(tx N)]"}. */
    public synchronized List<String> log() {
        return List.copyOf(log);
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
        eagainCommits = n;
    }

    /** Answers the next request with a message of {@code type} carrying {@code payload} and a NUL. */
    public synchronized void answerNext(int type, String payload) {
        overrideType = type;
        overridePayload = payload;
    }

    /** Queues {@code bytes} as they are, ahead of whatever is answered next. */
    public synchronized void inject(byte[] bytes) {
        append(bytes);
        kick();
    }

    /** A watch event for {@code token}, injected ahead of the next reply. */
    public synchronized void injectWatchEvent(String path, String token) {
        event(path, token);
        kick();
    }

    /** From now on publishes {@code rsp_prod} 5000 bytes ahead of what it wrote. */
    public synchronized void corruptResponseProducer() {
        corruptRspProd = true;
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

    /** The watches the guest has registered, as {@code path token}. */
    public synchronized List<String> watches() {
        return watches.stream().map(w -> w.path() + " " + w.token()).toList();
    }

    /** Waits until {@code condition} holds of this server, for at most {@code timeoutMs}. */
    public synchronized void await(Predicate<RingXenstored> condition, long timeoutMs, String what) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + "; log " + log
                        + ", nodes " + nodes);
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
