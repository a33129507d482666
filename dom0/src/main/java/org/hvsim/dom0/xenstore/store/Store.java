package org.hvsim.dom0.xenstore.store;

import java.util.List;

/**
 * The committed XenStore: the current {@link NodeMap} (including the special nodes
 * {@code @introduceDomain} and {@code @releaseDomain}, which hold the permissions of their watches) and
 * the global generation counter. Every change of a node gives it a fresh generation, so "unchanged since
 * a snapshot" is one comparison. Threads: xenstored's dispatch thread only.
 */
public final class Store {
    /** The generation of a node that does not exist. */
    public static final long NO_GENERATION = -1;

    private NodeMap nodes = NodeMap.empty();
    private long generation;

    private Store() {}

    /**
     * The tree C xenstored starts with ({@code setup_structure()}): {@code /}, {@code /tool},
     * {@code /tool/xenstored} and the two special nodes, all {@code n<dom0>}. {@code /local/domain} is the
     * toolstack's to create.
     */
    public static Store initial(int dom0) {
        Store s = new Store();
        List<XsPermission> none = List.of(new XsPermission(dom0, XsPermission.NONE));
        s.put(XsPath.ROOT, Node.empty(none, s.nextGeneration()).withChild("tool"));
        s.put("/tool", Node.empty(none, s.nextGeneration()).withChild("xenstored"));
        s.put("/tool/xenstored", Node.empty(none, s.nextGeneration()));
        s.put(XsPath.RELEASE_DOMAIN, Node.empty(none, s.nextGeneration()));
        s.put(XsPath.INTRODUCE_DOMAIN, Node.empty(none, s.nextGeneration()));
        return s;
    }

    /** The committed nodes as they are now (an immutable snapshot). */
    public NodeMap snapshot() {
        return nodes;
    }

    public Node get(String path) {
        return nodes.get(path);
    }

    /** The generation of the node at {@code path}, or {@link #NO_GENERATION}. */
    public long generationOf(String path) {
        Node n = nodes.get(path);
        return n == null ? NO_GENERATION : n.generation();
    }

    /** A fresh generation number for a change about to be made. */
    public long nextGeneration() {
        return ++generation;
    }

    /** The last generation handed out. */
    public long generation() {
        return generation;
    }

    /** Stores {@code node} (with the generation it carries) at {@code path}. */
    public void put(String path, Node node) {
        nodes = nodes.put(path, node);
    }

    public void remove(String path) {
        nodes = nodes.remove(path);
    }

    public int size() {
        return nodes.size();
    }
}
