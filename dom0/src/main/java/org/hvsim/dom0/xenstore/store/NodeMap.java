package org.hvsim.dom0.xenstore.store;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * A persistent (immutable) map from path to {@link Node}: every update returns a new map sharing all
 * untouched structure with the old one, so a transaction's snapshot is just a reference. It is a treap
 * ordered by path with random priorities drawn when an entry is first inserted, so no choice of paths
 * by a guest can make it degenerate; operations take expected O(log n) time and copy O(log n) cells.
 * Threads: any (immutable); xenstored builds new versions on its dispatch thread only.
 */
public final class NodeMap {
    private static final NodeMap EMPTY = new NodeMap(null, 0);

    private final Cell root;
    private final int size;

    private NodeMap(Cell root, int size) {
        this.root = root;
        this.size = size;
    }

    public static NodeMap empty() {
        return EMPTY;
    }

    public int size() {
        return size;
    }

    /** The node at {@code path}, or {@code null}. */
    public Node get(String path) {
        Cell c = root;
        while (c != null) {
            int cmp = path.compareTo(c.key);
            if (cmp == 0) {
                return c.value;
            }
            c = cmp < 0 ? c.left : c.right;
        }
        return null;
    }

    /** This map with {@code path} mapped to {@code node}. */
    public NodeMap put(String path, Node node) {
        Objects.requireNonNull(path);
        Objects.requireNonNull(node);
        boolean[] added = new boolean[1];
        Cell r = put(root, path, node, added);
        return new NodeMap(r, added[0] ? size + 1 : size);
    }

    /** This map without {@code path} (the same map if it is absent). */
    public NodeMap remove(String path) {
        if (get(path) == null) {
            return this;
        }
        return new NodeMap(remove(root, path), size - 1);
    }

    /** Calls {@code action} for every entry, in path order. */
    public void forEach(BiConsumer<String, Node> action) {
        Deque<Cell> stack = new ArrayDeque<>();
        Cell c = root;
        while (c != null || !stack.isEmpty()) {
            while (c != null) {
                stack.push(c);
                c = c.left;
            }
            c = stack.pop();
            action.accept(c.key, c.value);
            c = c.right;
        }
    }

    private static Cell put(Cell t, String key, Node value, boolean[] added) {
        if (t == null) {
            added[0] = true;
            return new Cell(key, value, ThreadLocalRandom.current().nextInt(), null, null);
        }
        int cmp = key.compareTo(t.key);
        if (cmp == 0) {
            return new Cell(t.key, value, t.priority, t.left, t.right);
        }
        if (cmp < 0) {
            Cell l = put(t.left, key, value, added);
            if (l.priority > t.priority) {
                return new Cell(l.key, l.value, l.priority, l.left, new Cell(t.key, t.value, t.priority, l.right, t.right));
            }
            return new Cell(t.key, t.value, t.priority, l, t.right);
        }
        Cell r = put(t.right, key, value, added);
        if (r.priority > t.priority) {
            return new Cell(r.key, r.value, r.priority, new Cell(t.key, t.value, t.priority, t.left, r.left), r.right);
        }
        return new Cell(t.key, t.value, t.priority, t.left, r);
    }

    private static Cell remove(Cell t, String key) {
        int cmp = key.compareTo(t.key);
        if (cmp == 0) {
            return merge(t.left, t.right);
        }
        if (cmp < 0) {
            return new Cell(t.key, t.value, t.priority, remove(t.left, key), t.right);
        }
        return new Cell(t.key, t.value, t.priority, t.left, remove(t.right, key));
    }

    /** Joins two treaps whose keys are all ordered {@code a < b}. */
    private static Cell merge(Cell a, Cell b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.priority > b.priority) {
            return new Cell(a.key, a.value, a.priority, a.left, merge(a.right, b));
        }
        return new Cell(b.key, b.value, b.priority, merge(a, b.left), b.right);
    }

    private record Cell(String key, Node value, int priority, Cell left, Cell right) {}
}
