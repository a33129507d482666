package org.hvsim.dom0.xenstore.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.dom0.xenstore.store.Permissions;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPath;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * The node operations requests share, with C xenstored's permission and quota rules: looking a node up
 * for an access ({@code get_node()}, where a missing node reports ENOENT only if the nearest existing
 * ancestor would allow the access, else EACCES), creating a node and its missing parents
 * ({@code create_node()}: new nodes copy the parent's permissions, and an unprivileged creator becomes
 * their owner), and removing a subtree ({@code rm_node()}). Threads: the dispatch thread only.
 */
final class NodeOps {
    private final Domains domains;

    NodeOps(Domains domains) {
        this.domains = domains;
    }

    /** What {@code c} may do with {@code node}. */
    int permFor(Connection c, Node node) {
        return Permissions.forDomain(node.perms(), c.domid(), c.privileged());
    }

    /** The node at {@code name} if {@code c} may access it for {@code perm}; ENOENT or EACCES otherwise. */
    Node get(NodeAccess a, Connection c, String name, int perm) {
        Node n = getOrNull(a, c, name, perm);
        if (n == null) {
            throw new XenstoreException(XsdError.ENOENT, name);
        }
        return n;
    }

    /**
     * The node at {@code name} (permissions adjusted) if {@code c} may access it for {@code perm};
     * {@code null} if it is missing and its nearest existing ancestor allows {@code perm}; EACCES otherwise.
     */
    Node getOrNull(NodeAccess a, Connection c, String name, int perm) {
        Node n = a.get(name);
        if (n != null) {
            n = domains.adjustPerms(n);
            if (!Permissions.allows(permFor(c, n), perm)) {
                throw new XenstoreException(XsdError.EACCES, name);
            }
            return n;
        }
        String p = name;
        do {
            p = XsPath.parent(p);
            Node ancestor = a.get(p);
            if (ancestor != null) {
                if ((permFor(c, domains.adjustPerms(ancestor)) & perm) != 0) {
                    return null;
                }
                break;
            }
        } while (!p.equals(XsPath.ROOT));
        throw new XenstoreException(XsdError.EACCES, name);
    }

    /**
     * Creates {@code name} with {@code value} and any missing parents (empty). The caller has checked
     * that the nearest existing ancestor allows writing.
     *
     * @return the new node
     */
    Node create(NodeAccess a, Connection c, String name, byte[] value) {
        List<String> missing = new ArrayList<>();
        missing.add(name);
        String parentName = XsPath.parent(name);
        Node parent;
        while ((parent = a.get(parentName)) == null) {
            if (parentName.equals(XsPath.ROOT)) {
                throw new XenstoreException(XsdError.EIO, "the root node is missing");
            }
            missing.add(parentName);
            parentName = XsPath.parent(parentName);
        }
        parent = domains.adjustPerms(parent);
        List<XsPermission> perms = parent.perms();
        if (!c.privileged()) {
            List<XsPermission> owned = new ArrayList<>(perms);
            owned.set(0, new XsPermission(c.domid(), perms.getFirst().access()));
            perms = owned;
        }
        int k = missing.size();
        Node[] nodes = new Node[k];
        for (int i = 0; i < k; i++) {
            Node n = Node.empty(perms, 0);
            nodes[i] = i == 0 ? n.withValue(value) : n.withChild(XsPath.basename(missing.get(i - 1)));
        }
        Node newParent = parent.withChild(XsPath.basename(missing.get(k - 1)));
        if (!c.privileged()) {
            long owned = c.domain().usage(Quota.NODES) + a.pendingNodes(c.domid());
            if (c.domain().exceeds(Quota.NODES, owned + k)) {
                throw new XenstoreException(XsdError.ENOSPC, "nodes quota");
            }
            long memory = a.memoryDelta(c, parentName, parent, newParent);
            checkSize(c, newParent);
            for (int i = 0; i < k; i++) {
                checkSize(c, nodes[i]);
                memory += a.memoryDelta(c, missing.get(i), null, nodes[i]);
            }
            checkMemory(c, memory);
        }
        a.put(parentName, newParent);
        for (int i = k - 1; i >= 0; i--) {
            a.put(missing.get(i), nodes[i]);
        }
        return nodes[0];
    }

    /** Replaces the existing node at {@code name} by {@code neu} after the size and memory quota checks. */
    void modify(NodeAccess a, Connection c, String name, Node old, Node neu) {
        if (!c.privileged()) {
            checkSize(c, neu);
            checkMemory(c, a.memoryDelta(c, name, old, neu));
        }
        a.put(name, neu);
    }

    /**
     * Removes {@code name} and everything below it, children before parents, firing an exact watch event
     * for each removed node and a subtree event for {@code name} itself, then drops it from its parent.
     */
    void removeTree(NodeAccess a, String name) {
        String parentName = XsPath.parent(name);
        Node parent = a.get(parentName);
        if (parent == null) {
            throw new XenstoreException(XsdError.EINVAL, "parent of " + name + " is missing");
        }
        Map<String, Node> nodes = new HashMap<>();
        List<String> postOrder = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>();
        Node root = a.get(name);
        nodes.put(name, root);
        todo.push(name);
        while (!todo.isEmpty()) {
            String path = todo.pop();
            postOrder.add(path);
            Node n = nodes.get(path);
            for (String child : n.children()) {
                String childPath = XsPath.child(path, child);
                Node cn = a.get(childPath);
                if (cn != null && nodes.putIfAbsent(childPath, cn) == null) {
                    todo.push(childPath);
                }
            }
        }
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            String path = postOrder.get(i);
            Node n = nodes.get(path);
            a.remove(path);
            Node p = path.equals(name) ? parent : nodes.get(XsPath.parent(path));
            a.fire(path, n, p, path.equals(name) ? WatchMatch.SUBTREE : WatchMatch.EXACT, null);
        }
        a.put(parentName, parent.withoutChild(XsPath.basename(name)));
    }

    private static void checkSize(Connection c, Node n) {
        int size = n.accountedSize();
        if (c.domain().exceeds(Quota.NODE_SIZE, size)) {
            throw new XenstoreException(XsdError.ENOSPC, "node-size quota");
        }
        c.domain().observe(Quota.NODE_SIZE, size);
    }

    private static void checkMemory(Connection c, long delta) {
        if (delta > 0 && c.domain().atMemoryQuota(c.domain().usage(Quota.MEMORY) + delta)) {
            throw new XenstoreException(XsdError.ENOSPC, "memory quota");
        }
    }
}
