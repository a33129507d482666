package org.hvsim.dom0.xenstore.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.dom0.xenstore.store.Store;
import org.hvsim.dom0.xenstore.store.StoreCheck;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPath;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * xenstored's state and logic in one place, driven by one thread: the store, the domains, the quota
 * settings, every live connection, and the request table. Transports hand it whole messages; the
 * toolstack's domain lifecycle calls ({@link #introduce}, {@link #release}, {@link #domainShutdown})
 * arrive here too. A single thread makes every request atomic and the history trivially serializable.
 * Threads: the dispatch thread only (the facade owns that thread and funnels every call onto it).
 */
public final class XenstoredCore {
    private static final Logger LOG = LoggerFactory.getLogger(XenstoredCore.class);

    private final Store store = Store.initial(DomId.DOM0);
    private final QuotaTable quotas = new QuotaTable();
    private final Domains domains;
    private final List<Connection> connections = new ArrayList<>();
    private final WatchEvents watchEvents;
    private final StoreAccess storeAccess;
    private final TransactionRequests transactions;
    private final WatchRequests watches;
    private final Dispatcher dispatcher;
    private final RateLimitedLog guestLog;

    /**
     * @param domainExists whether the hypervisor has a domain (for permission entries naming unknown ids)
     * @param wireConnector maps rings for INTRODUCE requests from dom0 tools
     */
    public XenstoredCore(IntPredicate domainExists, DomainConnector wireConnector, RateLimitedLog guestLog) {
        this.domains = new Domains(store, quotas, domainExists);
        this.watchEvents = new WatchEvents(store, domains);
        this.storeAccess = new StoreAccess(store, domains, watchEvents);
        this.transactions = new TransactionRequests(store, storeAccess, watchEvents, domains);
        this.guestLog = guestLog;
        this.watches = new WatchRequests(transactions, watchEvents);
        NodeOps ops = new NodeOps(domains);
        this.dispatcher = new Dispatcher(new NodeRequests(ops, domains), watches, transactions,
                new DomainRequests(this, wireConnector), new ControlRequests(this), storeAccess, guestLog);
        domains.chargeStartup(store);
    }

    public Store store() {
        return store;
    }

    public Domains domains() {
        return domains;
    }

    public QuotaTable quotas() {
        return quotas;
    }

    /** Adds a connection: from now on it may send requests and receive watch events. */
    public void register(Connection c) {
        connections.add(c);
    }

    /** Processes one complete request of {@code c}. */
    public void process(Connection c, XsMessage request) {
        if (!c.closed()) {
            dispatcher.process(c, request);
        }
    }

    /** Drops {@code c}'s watches and transactions (ring reconnection, INTRODUCE of a known domain). */
    public void reset(Connection c) {
        watches.dropAll(c);
        transactions.dropAll(c);
    }

    /** Removes a connection: its watches and transactions go, its transport is released. */
    public void unregister(Connection c) {
        if (c.closed()) {
            return;
        }
        reset(c);
        c.markClosed();
        connections.remove(c);
        c.closeTransport();
    }

    /** Removes every connection (xenstored is shutting down): rings are unmapped, clients disconnected. */
    public void unregisterAll() {
        for (Connection c : new ArrayList<>(connections)) {
            unregister(c);
        }
    }

    /**
     * INTRODUCE: starts serving domain {@code domid}'s ring, made by {@code connector}, and fires
     * {@code @introduceDomain}. A domain introduced again gets a fresh connection (its old watches and
     * transactions are dropped) and no event.
     *
     * @throws XenstoreException EINVAL for dom0 or a reserved id, or the connector's error
     */
    public void introduce(int domid, long gfn, int port, DomainConnector connector) {
        if (!DomId.isReal(domid) || domid == DomId.DOM0) {
            throw new XenstoreException(XsdError.EINVAL, "cannot introduce domain " + domid);
        }
        Domain d = domains.findOrCreate(domid);
        boolean again = d.introduced();
        Connection old = d.connection();
        Connection c = connector.connect(d, gfn, port);
        if (old != null) {
            unregister(old);
        }
        d.setIntroduced(c);
        register(c);
        if (!again) {
            watchEvents.fireSpecial(XsPath.INTRODUCE_DOMAIN, domid, true, true);
        }
    }

    /**
     * RELEASE: stops serving domain {@code domid} and forgets it, then fires {@code @releaseDomain}. Its
     * watches go first (so it sees no events of its own release); nodes it still owns pass to dom0 (C
     * xenstored's {@code --keep-orphans}: the toolstack removes the domain's nodes itself). A known but
     * never introduced domain is forgotten silently.
     *
     * @throws XenstoreException ENOENT if xenstored does not know the domain, EINVAL for dom0
     */
    public void release(int domid) {
        if (domid == DomId.DOM0) {
            throw new XenstoreException(XsdError.EINVAL, "cannot release dom0");
        }
        Domain d = domains.find(domid);
        if (d == null) {
            throw new XenstoreException(XsdError.ENOENT, "domain " + domid + " is not known");
        }
        if (d.connection() != null) {
            unregister(d.connection());
        }
        if (d.usage(Quota.NODES) > 0) {
            giveOrphansToDom0(domid);
        }
        domains.remove(domid);
        if (d.introduced()) {
            watchEvents.fireSpecial(XsPath.RELEASE_DOMAIN, domid, true, true);
        }
    }

    private void giveOrphansToDom0(int domid) {
        List<String> owned = new ArrayList<>();
        store.snapshot().forEach((path, node) -> {
            if (node.owner() == domid) {
                owned.add(path);
            }
        });
        for (String path : owned) {
            Node n = store.get(path);
            List<XsPermission> perms = new ArrayList<>(n.perms());
            perms.set(0, new XsPermission(DomId.DOM0, perms.getFirst().access()));
            storeAccess.put(path, n.withPerms(perms));
        }
        LOG.info("d{}: {} nodes it owned now belong to dom0", domid, owned.size());
    }

    /**
     * VIRQ_DOM_EXC for domain {@code domid}: the first report of its shutdown fires
     * {@code @releaseDomain} (until RESUME re-arms it). Unknown or not introduced domains are ignored.
     */
    public void domainShutdown(int domid) {
        Domain d = domains.findIntroduced(domid);
        if (d == null || d.shutdown() || domid == DomId.DOM0) {
            return;
        }
        d.setShutdown(true);
        watchEvents.fireSpecial(XsPath.RELEASE_DOMAIN, domid, false, true);
        watchEvents.fireSpecial(XsPath.RELEASE_DOMAIN, domid, true, false);
    }

    /** RESUME: a later shutdown of {@code domid} fires {@code @releaseDomain} again. */
    public void resume(int domid) {
        Domain d = domains.findIntroduced(domid);
        if (d == null || domid == DomId.DOM0) {
            throw new XenstoreException(domid == DomId.DOM0 ? XsdError.EINVAL : XsdError.ENOENT,
                    "domain " + domid + " is not introduced");
        }
        d.setShutdown(false);
    }

    /** Whether xenstored serves domain {@code domid} (dom0 always). */
    public boolean isIntroduced(int domid) {
        return domains.findIntroduced(domid) != null;
    }

    /** CONTROL check: repairs the tree if needed and corrects the per-domain node counts. */
    public StoreCheck check() {
        StoreCheck result = StoreCheck.run(store);
        for (Domain d : domains.all()) {
            long counted = result.ownedNodes().getOrDefault(d.domid(), 0);
            if (counted != d.usage(Quota.NODES)) {
                LOG.warn("check: domain {} owns {} nodes, accounting said {}", d.domid(), counted, d.usage(Quota.NODES));
                d.add(Quota.NODES, counted - d.usage(Quota.NODES));
            }
        }
        for (Map.Entry<Integer, Integer> e : result.ownedNodes().entrySet()) {
            if (domains.find(e.getKey()) == null) {
                LOG.warn("check: {} nodes owned by unknown domain {}", e.getValue(), e.getKey());
            }
        }
        if (!result.clean()) {
            LOG.warn("check: repaired the store: {}", result);
        }
        return result;
    }

    /** The number of live connections. */
    public int connectionCount() {
        return connections.size();
    }

    RateLimitedLog guestLog() {
        return guestLog;
    }

    /** Resets the maximum values seen ({@code quota max -r}). */
    void resetMaxSeen() {
        quotas.resetMaxSeen();
        for (Domain d : domains.all()) {
            d.resetMax();
            for (Quota q : Quota.values()) {
                d.observe(q, d.usage(q));
            }
        }
    }
}
