package org.hvsim.dom0.xenstore.core;

import java.util.Iterator;
import java.util.List;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.wire.XsNumbers;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * WATCH, UNWATCH and RESET_WATCHES ({@code do_watch()}, {@code do_unwatch()}, {@code do_reset_watches()}).
 * A watch is unique per connection by (path, token); a relative path gets relative event paths; the
 * optional third argument is the depth (XENSTORE_SERVER_FEATURE_WATCHDEPTH). A new watch fires once at
 * once. Threads: the dispatch thread only.
 */
final class WatchRequests {
    private final TransactionRequests transactions;
    private final WatchEvents registry;

    WatchRequests(TransactionRequests transactions, WatchEvents registry) {
        this.transactions = transactions;
        this.registry = registry;
    }

    /** WATCH {@code path|token|[depth|]}. */
    void watch(Request r) {
        Connection c = r.conn();
        List<String> args = XsPayload.strings(r.payload());
        int depth = -1;
        if (args.size() == 3) {
            depth = XsNumbers.atoi(args.get(2));
            if (depth < 0) {
                throw new XenstoreException(XsdError.EINVAL, "negative watch depth");
            }
        } else if (args.size() != 2) {
            throw new XenstoreException(XsdError.EINVAL, "WATCH takes a path, a token and an optional depth");
        }
        String raw = args.get(0);
        String token = args.get(1);
        boolean relative = !raw.startsWith("/") && !raw.startsWith("@");
        String name = r.path(raw, true);
        for (Watch w : c.watches()) {
            if (w.node().equals(name) && w.token().equals(token)) {
                throw new XenstoreException(XsdError.EEXIST, "watch exists");
            }
        }
        if (c.domain().exceeds(Quota.WATCHES, c.domain().usage(Quota.WATCHES) + 1)) {
            throw new XenstoreException(XsdError.ENOSPC, "watches quota");
        }
        Watch w = new Watch(name, token, depth, relative ? c.home().length() + 1 : 0);
        c.watches().add(w);
        registry.add(c, w);
        c.domain().add(Quota.WATCHES, 1);
        c.domain().add(Quota.MEMORY, w.memory());
        r.ack();
        WatchEvents.send(c, w.eventPath(name), token);
    }

    /** UNWATCH {@code path|token|}: ENOENT if there is no such watch. */
    void unwatch(Request r) {
        Connection c = r.conn();
        List<String> args = XsPayload.strings(r.payload());
        if (args.size() != 2) {
            throw new XenstoreException(XsdError.EINVAL, "UNWATCH takes a path and a token");
        }
        String name = r.path(args.get(0), true);
        for (Iterator<Watch> it = c.watches().iterator(); it.hasNext();) {
            Watch w = it.next();
            if (w.node().equals(name) && w.token().equals(args.get(1))) {
                it.remove();
                forget(c, w);
                r.ack();
                return;
            }
        }
        throw new XenstoreException(XsdError.ENOENT, "no such watch");
    }

    /** RESET_WATCHES: drops the caller's watches and transactions. */
    void resetWatches(Request r) {
        dropAll(r.conn());
        transactions.dropAll(r.conn());
        r.ack();
    }

    /** Drops every watch of {@code c}. */
    void dropAll(Connection c) {
        for (Watch w : c.watches()) {
            forget(c, w);
        }
        c.watches().clear();
    }

    private void forget(Connection c, Watch w) {
        registry.remove(c, w);
        c.domain().add(Quota.WATCHES, -1);
        c.domain().add(Quota.MEMORY, -w.memory());
    }
}
