package org.hvsim.dom0.xenstore.core;

import java.util.List;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.dom0.xenstore.store.Permissions;
import org.hvsim.dom0.xenstore.store.Store;
import org.hvsim.dom0.xenstore.store.XsPath;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/**
 * Turns changes into {@code XS_WATCH_EVENT}s ({@code fire_watches()}): every watch of every connection
 * whose path matches gets one event, provided the connection may read the changed node or its parent
 * (or could read the node before a permission change). Threads: the dispatch thread only.
 */
final class WatchEvents {
    private final List<Connection> connections;
    private final Store store;
    private final Domains domains;

    WatchEvents(List<Connection> connections, Store store, Domains domains) {
        this.connections = connections;
        this.store = store;
        this.domains = domains;
    }

    void fire(String name, Node node, Node parent, WatchMatch match, List<XsPermission> oldPerms) {
        for (Connection c : connections) {
            if (c.watches().isEmpty()) {
                continue;
            }
            int permitted = -1;
            for (Watch w : c.watches()) {
                if (!matches(w, name, match)) {
                    continue;
                }
                if (permitted < 0) {
                    permitted = permitted(c, name, node, parent, oldPerms) ? 1 : 0;
                }
                if (permitted == 0) {
                    break;
                }
                send(c, w.eventPath(name), w.token());
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

    /** Sends the event a new watch gets at once (whatever the permissions, as C xenstored does). */
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
