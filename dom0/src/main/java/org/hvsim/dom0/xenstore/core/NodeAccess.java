package org.hvsim.dom0.xenstore.core;

import java.util.List;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.dom0.xenstore.store.XsPermission;

/**
 * The nodes a request works on: the committed store, or a transaction's private view of it. Reads
 * through a transaction are recorded for its conflict check; watch events are fired at once on the store
 * and queued until commit in a transaction.
 */
interface NodeAccess {

    /** The node at {@code path} as this access sees it, or {@code null}. */
    Node get(String path);

    /** Stores {@code node} at {@code path} under a fresh generation. */
    void put(String path, Node node);

    void remove(String path);

    /**
     * Reports a change of {@code name} to the watches.
     *
     * @param node the node (for the readability check), or {@code null} to look it up when firing
     * @param parent its parent, or {@code null} to look it up
     * @param oldPerms the permissions before the change, or {@code null}
     */
    void fire(String name, Node node, Node parent, WatchMatch match, List<XsPermission> oldPerms);

    /** Nodes {@code domid} owns in this view beyond the committed count (only a transaction has any). */
    long pendingNodes(int domid);

    /** Memory charged to {@code conn} by this access for a change of {@code path} from {@code old} to {@code neu}. */
    long memoryDelta(Connection conn, String path, Node old, Node neu);
}
