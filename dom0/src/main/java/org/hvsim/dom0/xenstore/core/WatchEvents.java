package org.hvsim.dom0.xenstore.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.dom0.xenstore.store.Permissions;
import org.hvsim.dom0.xenstore.store.Store;
import org.hvsim.dom0.xenstore.store.XsPath;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/**
 * Every registered watch, indexed by the path it watches, and the turning of changes into
 * {@code XS_WATCH_EVENT}s ({@code fire_watches()}): every watch whose path matches gets one event,
 * provided its connection may read the changed node or its parent (or could read the node before a
 * permission change). A change of {@code /a/b/c} only looks at watches on it and its ancestors, so the
 * cost of a change does not grow with the number of domains. A connection's events come in the order
 * its watches were set, as in C xenstored. Threads: the dispatch thread only.
 */
final class WatchEvents {
    private record Registered(Connection conn, Watch watch, long seq) {}

    private final Map<String, List<Registered>> byPath = new HashMap<>();
    private final Store store;
    private final Domains domains;
    private long nextSeq;

    WatchEvents(Store store, Domains domains) {
        this.store = store;
        this.domains = domains;
    }

    /** Registers {@code w} of {@code c} (the connection keeps its own list too). */
    void add(Connection c, Watch w) {
        byPath.computeIfAbsent(w.node(), k -> new ArrayList<>()).add(new Registered(c, w, nextSeq++));
    }

    void remove(Connection c, Watch w) {
        List<Registered> l = byPath.get(w.node());
        if (l != null) {
            l.removeIf(r -> r.conn() == c && r.watch() == w);
            if (l.isEmpty()) {
                byPath.remove(w.node());
            }
        }
    }

    void fire(String name, Node node, Node parent, WatchMatch match, List<XsPermission> oldPerms) {
        List<Registered> hits = new ArrayList<>();
        collect(name, name, match, hits);
        if (match == WatchMatch.SUBTREE || match == WatchMatch.DEPTH) {
            String p = name;
            while (!p.equals(XsPath.ROOT)) {
                p = XsPath.parent(p);
                collect(p, name, match, hits);
            }
        }
        if (hits.isEmpty()) {
            return;
        }
        hits.sort(Comparator.comparingLong(Registered::seq));
        Map<Connection, Boolean> permitted = new HashMap<>();
        for (Registered r : hits) {
            Connection c = r.conn();
            if (permitted.computeIfAbsent(c, k -> permitted(k, name, node, parent, oldPerms))) {
                send(c, r.watch().eventPath(name), r.watch().token());
            }
        }
    }

    private void collect(String watched, String name, WatchMatch match, List<Registered> hits) {
        List<Registered> l = byPath.get(watched);
        if (l == null) {
            return;
        }
        for (Registered r : l) {
            if (matches(r.watch(), name, match)) {
                hits.add(r);
            }
        }
    }

    /**
     * Fires a special watch ({@code fire_special_watches()}): {@code special} itself for watches without
     * a depth, and {@code special/<domid>} for watches on it or on {@code special} with a depth.
     */
    void fireSpecial(String special, int domid, boolean plain, boolean withDomid) {
        Node node = store.get(special);
        if (node == null) {
            return;
        }
        if (plain) {
            fire(special, node, null, WatchMatch.NODEPTH, null);
        }
        if (withDomid) {
            fire(special + "/" + domid, node, null, WatchMatch.DEPTH, null);
        }
    }

    /** Sends an event for one watch (the first event of a new watch goes out whatever the permissions). */
    static void send(Connection c, String path, String token) {
        if (path.length() + token.length() + 2 > XsdSockmsg.XENSTORE_PAYLOAD_MAX) {
            return;
        }
        c.sendEvent(XsMessage.watchEvent(path, token));
    }

    static boolean matches(Watch w, String name, WatchMatch match) {
        return switch (match) {
            case EXACT -> name.equals(w.node());
            case SUBTREE -> XsPath.isChild(name, w.node(), w.depth());
            case DEPTH -> name.equals(w.node()) || (w.depth() > 0 && XsPath.isChild(name, w.node(), w.depth()));
            case NODEPTH -> name.equals(w.node()) && w.depth() < 0;
        };
    }

    private boolean permitted(Connection c, String name, Node node, Node parent, List<XsPermission> oldPerms) {
        if (c.privileged()) {
            return true;
        }
        if (oldPerms != null && readable(c, oldPerms)) {
            return true;
        }
        Node n = node != null ? node : store.get(name);
        if (n == null) {
            return false;
        }
        if (readable(c, domains.adjustPerms(n).perms())) {
            return true;
        }
        Node p = parent != null ? parent : store.get(XsPath.parent(name));
        return p != null && readable(c, domains.adjustPerms(p).perms());
    }

    private static boolean readable(Connection c, List<XsPermission> perms) {
        return (Permissions.forDomain(perms, c.domid(), c.privileged()) & XsPermission.READ) != 0;
    }
}
