package org.hvsim.dom0.xenstore;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import org.hvsim.dom0.xenstore.conn.RingConnection;
import org.hvsim.dom0.xenstore.conn.SocketServer;
import org.hvsim.dom0.xenstore.core.Connection;
import org.hvsim.dom0.xenstore.core.Domain;
import org.hvsim.dom0.xenstore.core.Quota;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.dom0.xenstore.core.XenstoredCore;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.GuestMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * xenstored in the dom0 process: the XenStore database behind a Unix socket for dom0 tools (libxenstore,
 * pyxs), each introduced domain's ring page, and an in-process client for the toolstack.
 *
 * <p>Like C xenstored it is single-threaded: one dispatch thread ({@code xenstored}, a netty epoll event
 * loop that also does the socket I/O) runs every request, ring pass and lifecycle call, so every request
 * is atomic. The public methods may be called from any thread except that one; they hand their work to
 * it and wait. Guests can only slow it by a bounded share (each ring pass handles a bounded number of
 * requests, then the next connection's work runs).
 */
public final class Xenstored implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Xenstored.class);
    /** Requests a ring pass handles before other connections get their turn. */
    public static final int DEFAULT_REQUESTS_PER_PASS = 16;

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final XenstoredCore core;
    private final DomainIntroducer introducer;
    private final LongSupplier nanoClock;
    private final int requestsPerPass;
    private final RateLimitedLog guestLog;
    private final Map<Integer, RingConnection> rings = new ConcurrentHashMap<>();
    private SocketServer server;
    private volatile boolean closed;

    private Xenstored(Builder b) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("xenstored needs netty's native epoll transport",
                    Epoll.unavailabilityCause());
        }
        this.introducer = b.introducer;
        this.nanoClock = b.nanoClock;
        this.requestsPerPass = b.requestsPerPass;
        this.guestLog = new RateLimitedLog(LoggerFactory.getLogger("org.hvsim.dom0.xenstore.guest"), 10,
                10_000_000_000L, b.nanoClock);
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("xenstored", true),
                EpollIoHandler.newFactory());
        this.loop = group.next();
        IntPredicate exists = b.domainExists;
        this.core = Uninterruptibly.get(loop.submit(() -> new XenstoredCore(exists, this::connectFromWire, guestLog)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link Xenstored}; every one has a default. */
    public static final class Builder {
        private DomainIntroducer introducer = DomainIntroducer.none();
        private IntPredicate domainExists = DomId::isReal;
        private LongSupplier nanoClock = System::nanoTime;
        private int requestsPerPass = DEFAULT_REQUESTS_PER_PASS;

        private Builder() {}

        /** Maps rings for INTRODUCE requests arriving over the socket. */
        public Builder introducer(DomainIntroducer i) {
            this.introducer = Objects.requireNonNull(i);
            return this;
        }

        /**
         * Whether a domain exists in the hypervisor; permission entries naming other domains are stored as
         * ignored. Default: any real domid.
         */
        public Builder domainExists(IntPredicate p) {
            this.domainExists = Objects.requireNonNull(p);
            return this;
        }

        /** The monotonic clock for watch-event timeouts and log rate limits. */
        public Builder nanoClock(LongSupplier c) {
            this.nanoClock = Objects.requireNonNull(c);
            return this;
        }

        public Builder requestsPerPass(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("requestsPerPass must be positive");
            }
            this.requestsPerPass = n;
            return this;
        }

        public Xenstored build() {
            return new Xenstored(this);
        }
    }

    /** Starts listening on {@code socketPath} (mode 0600; a stale file is replaced). */
    public synchronized void start(Path socketPath) throws IOException {
        if (server != null) {
            throw new IllegalStateException("xenstored already listens on " + server.socket());
        }
        checkOpen();
        server = SocketServer.bind(socketPath, group, core, guestLog);
        LOG.info("xenstored listening on {}", server.socket());
    }

    /** The socket path, or {@code null} before {@link #start}. */
    public synchronized Path socketPath() {
        return server == null ? null : server.socket();
    }

    /** A new privileged in-process client; close it when done. */
    public XenstoreClient client() {
        checkOpen();
        return new XenstoreClient(this);
    }

    /**
     * Introduces domain {@code domid}: xenstored starts serving the ring on {@code page} and fires
     * {@code @introduceDomain}. Call it before the domain first runs: the ring's indices are reset. The
     * caller keeps the mapping alive until {@link #release}.
     *
     * @param notify signals the domain's store event channel
     * @throws XenstoreException EINVAL for dom0 or a reserved domid
     */
    public void introduce(int domid, long gfn, int port, GuestMemory page, Runnable notify) {
        Objects.requireNonNull(page);
        Objects.requireNonNull(notify);
        onDispatch(() -> {
            core.introduce(domid, gfn, port, (d, g, p) -> newRing(d, page, notify, () -> {}));
            return null;
        });
    }

    /** The event channel of domain {@code domid}'s store ring fired. Any thread; does not wait. */
    public void eventArrived(int domid) {
        RingConnection r = rings.get(domid);
        if (r != null) {
            r.eventArrived();
        }
    }

    /**
     * Stops serving domain {@code domid} and fires {@code @releaseDomain}; its watches and transactions
     * are dropped (its nodes are the toolstack's to remove).
     *
     * @throws XenstoreException ENOENT if xenstored does not know the domain
     */
    public void release(int domid) {
        onDispatch(() -> {
            core.release(domid);
            return null;
        });
    }

    /** VIRQ_DOM_EXC reported that domain {@code domid} shut down: fires {@code @releaseDomain} once. */
    public void domainShutdown(int domid) {
        onDispatch(() -> {
            core.domainShutdown(domid);
            return null;
        });
    }

    public boolean isIntroduced(int domid) {
        return onDispatch(() -> core.isIntroduced(domid));
    }

    /**
     * Sets one of domain {@code domid}'s own quotas, as xl.cfg's {@code xenstore_quota} does: {@code name}
     * is a quota name ({@code nodes}, {@code watches}, {@code outstanding}, {@code memory},
     * {@code transactions}, {@code transaction-nodes}, {@code node-permissions}, {@code path-max},
     * {@code node-size}) or {@code soft-memory}; 0 means no limit.
     *
     * @throws IllegalArgumentException for an unknown name or a negative value
     */
    public void setQuota(int domid, String name, long value) {
        QuotaName q = QuotaName.parse(name);
        if (value < 0) {
            throw new IllegalArgumentException("quota " + name + " must be at least 0");
        }
        onDispatch(() -> {
            core.domains().findOrCreate(domid).setOverride(q.quota(), q.soft(), value);
            return null;
        });
    }

    /**
     * Sets several of domain {@code domid}'s quotas from xl.cfg's {@code xenstore_quota} items
     * ({@code "nodes=2000"}); nothing is set unless every item is valid.
     *
     * @throws IllegalArgumentException naming the first bad item
     */
    public void setQuotas(int domid, List<String> items) {
        List<Map.Entry<QuotaName, Long>> parsed = new ArrayList<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("xenstore_quota item '" + item + "' is not <quota>=<value>");
            }
            long v;
            try {
                v = Long.parseLong(item.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("xenstore_quota item '" + item + "' has no number after '='");
            }
            if (v < 0) {
                throw new IllegalArgumentException("xenstore_quota item '" + item + "' is negative");
            }
            parsed.add(Map.entry(QuotaName.parse(item.substring(0, eq).trim()), v));
        }
        onDispatch(() -> {
            Domain d = core.domains().findOrCreate(domid);
            for (Map.Entry<QuotaName, Long> e : parsed) {
                d.setOverride(e.getKey().quota(), e.getKey().soft(), e.getValue());
            }
            return null;
        });
    }

    /** Sets a global quota (as {@code xenstored -Q name=value} or {@code CONTROL quota set}). */
    public void setGlobalQuota(String name, long value) {
        QuotaName q = QuotaName.parse(name);
        onDispatch(() -> {
            if (q.soft()) {
                core.quotas().setSoft(q.quota(), value);
            } else {
                core.quotas().setHard(q.quota(), value);
            }
            return null;
        });
    }

    /** A quota name as xl.cfg writes it: the quota and whether its soft level is meant. */
    private record QuotaName(Quota quota, boolean soft) {
        static QuotaName parse(String name) {
            boolean soft = name.startsWith(Quota.SOFT_PREFIX);
            String base = soft ? name.substring(Quota.SOFT_PREFIX.length()) : name;
            Quota q = Quota.named(base).orElseThrow(() -> new IllegalArgumentException("unknown xenstore quota " + name));
            if (soft && !q.hasSoft()) {
                throw new IllegalArgumentException("xenstore quota " + base + " has no soft level");
            }
            return new QuotaName(q, soft);
        }
    }

    /** Runs {@code task} on the dispatch thread with the core, and waits (for tests and tools). */
    public <T> T withCore(Function<XenstoredCore, T> task) {
        return onDispatch(() -> task.apply(core));
    }

    // ---- plumbing ----

    private RingConnection newRing(Domain d, GuestMemory page, Runnable notify, Runnable unmap) {
        RingConnection[] self = new RingConnection[1];
        RingConnection r = new RingConnection(core, d, page, notify, () -> {
            rings.remove(d.domid(), self[0]);
            unmap.run();
        }, loop, nanoClock, guestLog, requestsPerPass);
        self[0] = r;
        boolean handshake = r.start();
        rings.put(d.domid(), r);
        if (!handshake) {
            // A guest in the reconnection handshake is served once it signals back (RingConnection#start).
            r.eventArrived();
        }
        return r;
    }

    private Connection connectFromWire(Domain d, long gfn, int port) {
        IntroducedRing ring = introducer.map(d.domid(), gfn, port, () -> eventArrived(d.domid()));
        try {
            return newRing(d, ring.page(), ring.signal(), ring.unmap());
        } catch (RuntimeException e) {
            ring.unmap().run();
            throw e;
        }
    }

    LocalConnection connectLocal(Consumer<XsMessage> listener) {
        return onDispatch(() -> {
            LocalConnection c = new LocalConnection(core.domains().dom0(), guestLog, listener);
            core.register(c);
            return c;
        });
    }

    /** Queues {@code request} of {@code c} for the dispatch thread. */
    void submit(Connection c, XsMessage request) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("xenstore clients must not be called on xenstored's own thread");
        }
        try {
            loop.execute(() -> core.process(c, request));
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("xenstored is closed", e);
        }
    }

    void disconnect(Connection c) {
        if (!closed) {
            onDispatch(() -> {
                core.unregister(c);
                return null;
            });
        }
    }

    private <T> T onDispatch(Callable<T> task) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("xenstored's API must not be called on its own thread");
        }
        checkOpen();
        try {
            return Uninterruptibly.get(loop.submit(task));
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("xenstored is closed", e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("xenstored is closed");
        }
    }

    /** Closes the socket, every connection (unmapping the rings) and the dispatch thread. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (server != null) {
                server.close();
            }
        }
        try {
            onDispatch(() -> {
                core.unregisterAll();
                return null;
            });
        } finally {
            closed = true;
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
