package org.hvsim.dom0.xenstore.core;

import java.util.List;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.dom0.xenstore.store.Store;
import org.hvsim.dom0.xenstore.store.XsPermission;

/**
 * Direct access to the committed store: changes are charged to the nodes' owners and watches fire at
 * once. Threads: the dispatch thread only.
 */
final class StoreAccess implements NodeAccess {
    private final Store store;
    private final Domains domains;
    private final WatchEvents watches;

    StoreAccess(Store store, Domains domains, WatchEvents watches) {
        this.store = store;
        this.domains = domains;
        this.watches = watches;
    }

    @Override
    public Node get(String path) {
        return store.get(path);
    }

    @Override
    public void put(String path, Node node) {
        Node old = store.get(path);
        Node neu = node.withGeneration(store.nextGeneration());
        store.put(path, neu);
        domains.chargeNode(path, old, neu);
    }

    @Override
    public void remove(String path) {
        Node old = store.get(path);
        if (old != null) {
            store.remove(path);
            domains.chargeNode(path, old, null);
        }
    }

    @Override
    public void fire(String name, Node node, Node parent, WatchMatch match, List<XsPermission> oldPerms) {
        watches.fire(name, node, parent, match, oldPerms);
    }

    @Override
    public long pendingNodes(int domid) {
        return 0;
    }

    @Override
    public long memoryDelta(Connection conn, String path, Node old, Node neu) {
        long delta = 0;
        if (old != null && old.owner() == conn.domid()) {
            delta -= Domains.memoryOf(path, old);
        }
        if (neu != null && neu.owner() == conn.domid()) {
            delta += Domains.memoryOf(path, neu);
        }
        return delta;
    }
}
