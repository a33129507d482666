package org.hvsim.dom0.xenstore.core;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.dom0.xenstore.store.NodeMap;
import org.hvsim.dom0.xenstore.store.Store;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * One open transaction: a snapshot of the store taken at TRANSACTION_START, the transaction's own
 * changes on top of it (a persistent map, so both are cheap), every path it looked at with the
 * generation it saw there (absent nodes included), and the watch events it owes. Commit succeeds only
 * if none of those paths changed in the store meanwhile; then its changes are applied and its events
 * fired. Reads never see other clients' later writes (snapshot isolation); the commit check makes the
 * history serializable. Threads: the dispatch thread only.
 */
final class Transaction implements NodeAccess {
    private final int id;
    private final Connection owner;
    private final Store store;
    private NodeMap view;
    private final Map<String, Long> accessed = new LinkedHashMap<>();
    private final Set<String> modified = new LinkedHashSet<>();
    private final Map<String, WatchMatch> events = new LinkedHashMap<>();
    private final Map<Integer, Long> nodeDelta = new HashMap<>();
    private final Map<String, Long> memoryByPath = new HashMap<>();
    private long memory;
    private boolean failed;

    Transaction(int id, Connection owner, Store store) {
        this.id = id;
        this.owner = owner;
        this.store = store;
        this.view = store.snapshot();
    }

    int id() {
        return id;
    }

    Connection owner() {
        return owner;
    }

    /** Memory this transaction's private node copies cost its connection's domain. */
    long memory() {
        return memory;
    }

    /** Records a first look at {@code path}; refuses more paths than the transaction-nodes quota. */
    private void access(String path) {
        if (accessed.containsKey(path)) {
            return;
        }
        if (owner.domain().exceeds(Quota.TRANSACTION_NODES, accessed.size() + 1L)) {
            failed = true;
            throw new XenstoreException(XsdError.ENOSPC, "transaction-nodes quota");
        }
        Node n = view.get(path);
        accessed.put(path, n == null ? Store.NO_GENERATION : n.generation());
        owner.domain().observe(Quota.TRANSACTION_NODES, accessed.size());
    }

    @Override
    public Node get(String path) {
        access(path);
        return view.get(path);
    }

    @Override
    public void put(String path, Node node) {
        access(path);
        Node old = view.get(path);
        Node neu = node.withGeneration(store.nextGeneration());
        view = view.put(path, neu);
        changed(path, old, neu);
    }

    @Override
    public void remove(String path) {
        access(path);
        Node old = view.get(path);
        if (old != null) {
            view = view.remove(path);
            changed(path, old, null);
        }
    }

    private void changed(String path, Node old, Node neu) {
        modified.add(path);
        if (old != null) {
            nodeDelta.merge(old.owner(), -1L, Long::sum);
        }
        if (neu != null) {
            nodeDelta.merge(neu.owner(), 1L, Long::sum);
        }
        long charge = neu == null ? 0 : Domains.memoryOf(path, neu);
        long before = memoryByPath.getOrDefault(path, 0L);
        memoryByPath.put(path, charge);
        memory += charge - before;
        owner.domain().add(Quota.MEMORY, charge - before);
    }

    @Override
    public void fire(String name, Node node, Node parent, WatchMatch match, List<XsPermission> oldPerms) {
        WatchMatch queued = events.get(name);
        if (queued == null || match == WatchMatch.SUBTREE) {
            events.put(name, match);
        }
    }

    @Override
    public long pendingNodes(int domid) {
        return nodeDelta.getOrDefault(domid, 0L);
    }

    @Override
    public long memoryDelta(Connection conn, String path, Node old, Node neu) {
        long charge = neu == null ? 0 : Domains.memoryOf(path, neu);
        return charge - memoryByPath.getOrDefault(path, 0L);
    }

    /**
     * Commits: fails with EAGAIN if anything this transaction looked at changed in the store, with ENOSPC
     * if its new nodes would take an unprivileged owner over quota, with ENOMEM if an earlier request of
     * it failed half-way (as C xenstored does); otherwise applies the changes through {@code target} and
     * fires the queued watch events.
     */
    void commit(StoreAccess target, WatchEvents watches, Domains domains) {
        if (failed) {
            throw new XenstoreException(XsdError.ENOMEM, "transaction failed earlier");
        }
        for (Map.Entry<String, Long> e : accessed.entrySet()) {
            if (store.generationOf(e.getKey()) != e.getValue()) {
                throw new XenstoreException(XsdError.EAGAIN, "conflict on " + e.getKey());
            }
        }
        if (!owner.privileged()) {
            for (Map.Entry<Integer, Long> e : nodeDelta.entrySet()) {
                Domain d = domains.find(e.getKey());
                if (e.getValue() > 0 && d != null && d.exceeds(Quota.NODES, d.usage(Quota.NODES) + e.getValue())) {
                    throw new XenstoreException(XsdError.ENOSPC, "nodes quota of domain " + e.getKey());
                }
            }
        }
        Map<String, List<XsPermission>> before = new HashMap<>();
        for (String path : events.keySet()) {
            Node committed = store.get(path);
            before.put(path, committed == null ? null : committed.perms());
        }
        for (String path : modified) {
            Node n = view.get(path);
            if (n == null) {
                target.remove(path);
            } else {
                target.put(path, n);
            }
        }
        for (Map.Entry<String, WatchMatch> e : events.entrySet()) {
            watches.fire(e.getKey(), null, null, e.getValue(), before.get(e.getKey()));
        }
    }

    /** Gives back the memory this transaction's private copies cost (commit or abort). */
    void release() {
        owner.domain().add(Quota.MEMORY, -memory);
        memory = 0;
        memoryByPath.clear();
    }
}
