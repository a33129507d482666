package org.hvsim.dom0.xenstore.store;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One XenStore node, immutable: its value (bytes, may contain NULs), its permission list (owner first),
 * its children's names in creation order, and the generation of its last change. The value array is
 * never modified after construction; callers outside the store copy it before handing it out.
 */
public final class Node {
    /** Bytes C xenstored counts per node besides value, children and permissions ({@code struct node_hdr}). */
    static final int HEADER_SIZE = 16;
    /** Bytes per permission entry ({@code struct xs_permissions}). */
    static final int PERM_SIZE = 8;
    private static final byte[] EMPTY = new byte[0];
    private static final String[] NO_CHILDREN = new String[0];

    private final byte[] value;
    private final List<XsPermission> perms;
    private final String[] children;
    private final int childLength;
    private final long generation;

    private Node(byte[] value, List<XsPermission> perms, String[] children, long generation) {
        if (perms.isEmpty()) {
            throw new IllegalArgumentException("a node has at least its owner's permission");
        }
        this.value = value;
        this.perms = perms;
        this.children = children;
        int len = 0;
        for (String c : children) {
            len += c.length() + 1;
        }
        this.childLength = len;
        this.generation = generation;
    }

    /** A node with no value and no children. */
    public static Node empty(List<XsPermission> perms, long generation) {
        return new Node(EMPTY, List.copyOf(perms), NO_CHILDREN, generation);
    }

    /** Value bytes; the caller must not modify them. */
    public byte[] value() {
        return value;
    }

    public List<XsPermission> perms() {
        return perms;
    }

    /** The owner: the first permission entry's domain. */
    public int owner() {
        return perms.getFirst().domid();
    }

    public List<String> children() {
        return Collections.unmodifiableList(Arrays.asList(children));
    }

    public int childCount() {
        return children.length;
    }

    public boolean hasChild(String name) {
        for (String c : children) {
            if (c.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of the children list as sent by DIRECTORY: every name followed by a NUL. */
    public int childLength() {
        return childLength;
    }

    public long generation() {
        return generation;
    }

    /**
     * The size C xenstored charges for a node against the {@code node-size} quota
     * ({@code calc_node_acc_size()}): header, permissions, value and children names.
     */
    public int accountedSize() {
        return HEADER_SIZE + PERM_SIZE * perms.size() + value.length + childLength;
    }

    /** This node with value {@code v} (kept, not copied). */
    public Node withValue(byte[] v) {
        return new Node(Objects.requireNonNull(v), perms, children, generation);
    }

    public Node withPerms(List<XsPermission> p) {
        return new Node(value, List.copyOf(p), children, generation);
    }

    public Node withGeneration(long g) {
        return new Node(value, perms, children, g);
    }

    /** This node with {@code name} appended to its children (the caller ensures it is not there yet). */
    public Node withChild(String name) {
        String[] c = Arrays.copyOf(children, children.length + 1);
        c[children.length] = name;
        return new Node(value, perms, c, generation);
    }

    /** This node without child {@code name} (unchanged if there is none). */
    public Node withoutChild(String name) {
        for (int i = 0; i < children.length; i++) {
            if (children[i].equals(name)) {
                String[] c = new String[children.length - 1];
                System.arraycopy(children, 0, c, 0, i);
                System.arraycopy(children, i + 1, c, i, children.length - i - 1);
                return new Node(value, perms, c, generation);
            }
        }
        return this;
    }

    /** This node with exactly these children (used by the consistency check). */
    Node withChildren(List<String> names) {
        return new Node(value, perms, names.toArray(NO_CHILDREN), generation);
    }

    @Override
    public String toString() {
        return "Node[" + value.length + " bytes, perms=" + perms + ", children=" + children.length + ", gen="
                + generation + "]";
    }
}
