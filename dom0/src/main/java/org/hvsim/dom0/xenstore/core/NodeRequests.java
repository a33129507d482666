package org.hvsim.dom0.xenstore.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPath;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.dom0.xenstore.wire.XsNumbers;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/**
 * The database requests: READ, DIRECTORY, DIRECTORY_PART, WRITE, MKDIR, RM, GET_PERMS, SET_PERMS, with
 * the payload formats and checks of C xenstored's {@code do_read()}, {@code send_directory()},
 * {@code do_write()} and friends. Threads: the dispatch thread only.
 */
final class NodeRequests {
    private final NodeOps ops;
    private final Domains domains;

    NodeRequests(NodeOps ops, Domains domains) {
        this.ops = ops;
        this.domains = domains;
    }

    /** READ {@code path|}: the raw value, no NUL added. */
    void read(Request r) {
        String name = r.path(r.oneArg(), false);
        r.reply(ops.get(r.access(), r.conn(), name, XsPermission.READ).value());
    }

    /** DIRECTORY {@code path|}: each child's name followed by a NUL. */
    void directory(Request r) {
        String name = r.path(r.oneArg(), false);
        r.reply(XsPayload.cStrings(ops.get(r.access(), r.conn(), name, XsPermission.READ).children()));
    }

    /**
     * DIRECTORY_PART {@code path|offset|}: the node's generation, then the children list from byte
     * {@code offset} on, as much as fits; an extra NUL marks the end of the list.
     */
    void directoryPart(Request r) {
        if (XsPayload.countNuls(r.payload()) != 2) {
            throw new XenstoreException(XsdError.EINVAL, "DIRECTORY_PART takes a path and an offset");
        }
        List<String> args = XsPayload.strings(r.payload());
        String name = r.path(args.get(0), false);
        Node node = ops.get(r.access(), r.conn(), name, XsPermission.READ);
        long off = XsNumbers.atoiUnsigned(args.get(1));
        byte[] children = XsPayload.cStrings(node.children());
        byte[] gen = XsPayload.cString(Long.toUnsignedString(node.generation()));
        if (off >= children.length) {
            r.reply(Arrays.copyOf(gen, gen.length + 1));
            return;
        }
        int start = (int) off;
        int maxlen = XsdSockmsg.XENSTORE_PAYLOAD_MAX - gen.length - 1;
        int len = 0;
        while (true) {
            int nul = XsPayload.indexOfNul(children, start + len);
            int childLen = nul - (start + len);
            if (len + childLen >= maxlen) {
                break;
            }
            len += childLen + 1;
            if (start + len == children.length) {
                break;
            }
        }
        boolean end = start + len == children.length;
        byte[] out = new byte[gen.length + len + (end ? 1 : 0)];
        System.arraycopy(gen, 0, out, 0, gen.length);
        System.arraycopy(children, start, out, gen.length, len);
        r.reply(out);
    }

    /** WRITE {@code path|value}: the value is everything after the first NUL. */
    void write(Request r) {
        byte[] p = r.payload();
        int nul = XsPayload.indexOfNul(p, 0);
        if (nul < 0) {
            throw new XenstoreException(XsdError.EINVAL, "WRITE needs a NUL-terminated path");
        }
        String name = r.path(XsPayload.latin1(p, 0, nul), false);
        byte[] value = Arrays.copyOfRange(p, nul + 1, p.length);
        NodeAccess a = r.access();
        Node node = ops.getOrNull(a, r.conn(), name, XsPermission.WRITE);
        if (node == null) {
            node = ops.create(a, r.conn(), name, value);
        } else {
            Node neu = node.withValue(value);
            ops.modify(a, r.conn(), name, node, neu);
            node = neu;
        }
        a.fire(name, node, null, WatchMatch.SUBTREE, null);
        r.ack();
    }

    /** MKDIR {@code path|}: creates the node and its parents if missing; an existing node is left alone. */
    void mkdir(Request r) {
        String name = r.path(r.oneArg(), false);
        NodeAccess a = r.access();
        if (ops.getOrNull(a, r.conn(), name, XsPermission.WRITE) == null) {
            Node node = ops.create(a, r.conn(), name, new byte[0]);
            a.fire(name, node, null, WatchMatch.SUBTREE, null);
        }
        r.ack();
    }

    /** RM {@code path|}: removes the subtree; fine if absent, ENOENT if its parent is absent too. */
    void rm(Request r) {
        String name = r.path(r.oneArg(), false);
        NodeAccess a = r.access();
        Node node = ops.getOrNull(a, r.conn(), name, XsPermission.WRITE);
        if (node == null) {
            if (a.get(XsPath.parent(name)) == null) {
                throw new XenstoreException(XsdError.ENOENT, name);
            }
            r.ack();
            return;
        }
        if (name.equals(XsPath.ROOT)) {
            throw new XenstoreException(XsdError.EINVAL, "cannot remove the root");
        }
        ops.removeTree(a, name);
        r.ack();
    }

    /** GET_PERMS {@code path|}: each permission ({@code b5}) followed by a NUL; special paths allowed. */
    void getPerms(Request r) {
        String name = r.path(r.oneArg(), true);
        Node node = ops.get(r.access(), r.conn(), name, XsPermission.READ);
        List<String> out = new ArrayList<>();
        for (XsPermission p : node.perms()) {
            out.add(p.toString());
        }
        r.reply(XsPayload.cStrings(out));
    }

    /**
     * SET_PERMS {@code path|perm|perm|...}: needs ownership (or privilege); only dom0 may change the
     * owner; entries naming unknown domains are stored as ignored, and an ignored owner is ENOENT.
     */
    void setPerms(Request r) {
        Connection c = r.conn();
        int num = XsPayload.countNuls(r.payload()) - 1;
        if (num < 1) {
            throw new XenstoreException(XsdError.EINVAL, "SET_PERMS needs a path and a permission");
        }
        if (c.domain().exceeds(Quota.NODE_PERMISSIONS, num)) {
            throw new XenstoreException(XsdError.ENOSPC, "node-permissions quota");
        }
        c.domain().observe(Quota.NODE_PERMISSIONS, num);
        List<String> args = XsPayload.strings(r.payload());
        List<XsPermission> perms = new ArrayList<>(num);
        for (int i = 1; i <= num; i++) {
            perms.add(XsPermission.parse(args.get(i)));
        }
        for (int i = 0; i < perms.size(); i++) {
            if (domains.findOrAlloc(perms.get(i).domid()) == null) {
                perms.set(i, perms.get(i).asIgnored());
            }
        }
        if (perms.getFirst().ignored()) {
            throw new XenstoreException(XsdError.ENOENT, "owner domain " + perms.getFirst().domid() + " does not exist");
        }
        String name = r.path(args.getFirst(), true);
        NodeAccess a = r.access();
        Node node = ops.get(a, c, name, XsPermission.WRITE | XsPermission.OWNER);
        if (!c.privileged() && perms.getFirst().domid() != node.owner()) {
            throw new XenstoreException(XsdError.EPERM, "only dom0 may change the owner");
        }
        Node neu = node.withPerms(perms);
        ops.modify(a, c, name, node, neu);
        a.fire(name, neu, null, WatchMatch.SUBTREE, node.perms());
        r.ack();
    }
}
