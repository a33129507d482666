package org.hvsim.dom0.xenstore.core;

import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * The request table ({@code wire_funcs[]} in C xenstored's core.c): for each message type its handler,
 * whether only privileged clients may send it, and whether it ignores the transaction id. Unknown
 * types, the reply-only types and the removed XS_RESTRICT get ENOSYS; a privileged type from a domain
 * gets EACCES; an unknown transaction id gets ENOENT. Threads: the dispatch thread only.
 */
final class Dispatcher {
    private record Entry(RequestHandler handler, boolean privileged, boolean ignoresTransaction) {}

    private final Entry[] table = new Entry[XsdSockmsgType.XS_SET_QUOTA.number() + 1];
    private final StoreAccess storeAccess;
    private final RateLimitedLog log;

    Dispatcher(NodeRequests nodes, WatchRequests watches, TransactionRequests transactions, DomainRequests domains,
            ControlRequests control, StoreAccess storeAccess, RateLimitedLog log) {
        this.storeAccess = storeAccess;
        this.log = log;
        add(XsdSockmsgType.XS_CONTROL, control::control, true, false);
        add(XsdSockmsgType.XS_DIRECTORY, nodes::directory, false, false);
        add(XsdSockmsgType.XS_READ, nodes::read, false, false);
        add(XsdSockmsgType.XS_GET_PERMS, nodes::getPerms, false, false);
        add(XsdSockmsgType.XS_WATCH, watches::watch, false, true);
        add(XsdSockmsgType.XS_UNWATCH, watches::unwatch, false, true);
        add(XsdSockmsgType.XS_TRANSACTION_START, transactions::start, false, false);
        add(XsdSockmsgType.XS_TRANSACTION_END, transactions::end, false, false);
        add(XsdSockmsgType.XS_INTRODUCE, domains::introduce, true, false);
        add(XsdSockmsgType.XS_RELEASE, domains::release, true, false);
        add(XsdSockmsgType.XS_GET_DOMAIN_PATH, domains::getDomainPath, false, false);
        add(XsdSockmsgType.XS_WRITE, nodes::write, false, false);
        add(XsdSockmsgType.XS_MKDIR, nodes::mkdir, false, false);
        add(XsdSockmsgType.XS_RM, nodes::rm, false, false);
        add(XsdSockmsgType.XS_SET_PERMS, nodes::setPerms, false, false);
        add(XsdSockmsgType.XS_IS_DOMAIN_INTRODUCED, domains::isDomainIntroduced, true, false);
        add(XsdSockmsgType.XS_RESUME, domains::resume, true, false);
        add(XsdSockmsgType.XS_RESET_WATCHES, watches::resetWatches, false, false);
        add(XsdSockmsgType.XS_DIRECTORY_PART, nodes::directoryPart, false, false);
    }

    private void add(XsdSockmsgType type, RequestHandler h, boolean privileged, boolean ignoresTransaction) {
        table[type.number()] = new Entry(h, privileged, ignoresTransaction);
    }

    void process(Connection conn, XsMessage msg) {
        XsdSockmsg h = msg.header();
        long type = Integer.toUnsignedLong(h.type());
        Entry e = type < table.length ? table[(int) type] : null;
        if (e == null) {
            conn.sendReply(XsMessage.error(h, XsdError.ENOSYS));
            return;
        }
        if (e.privileged() && !conn.privileged()) {
            conn.sendReply(XsMessage.error(h, XsdError.EACCES));
            return;
        }
        Transaction tx = null;
        if (!e.ignoresTransaction() && h.txId() != 0) {
            tx = conn.transaction(h.txId());
            if (tx == null) {
                conn.sendReply(XsMessage.error(h, XsdError.ENOENT));
                return;
            }
        }
        Request r = new Request(conn, msg, tx, storeAccess);
        try {
            e.handler().handle(r);
        } catch (XenstoreException ex) {
            r.error(ex.error());
        } catch (RuntimeException ex) {
            log.warn("d{}: request type {} failed: {}", conn.domid(), type, ex.toString());
            r.error(XsdError.EIO);
        }
        if (!conn.privileged()) {
            watchSoftMemory(conn.domain());
        }
    }

    /** Warns once when a domain goes over its soft memory quota, and again when it is back below. */
    private void watchSoftMemory(Domain d) {
        long soft = d.softLimit(Quota.MEMORY);
        long used = d.usage(Quota.MEMORY);
        if (soft != 0 && used >= soft && !d.softMemoryReported()) {
            d.setSoftMemoryReported(true);
            log.warn("domain {} exceeds its soft memory quota ({} of {} bytes)", d.domid(), used, soft);
        } else if (d.softMemoryReported() && (soft == 0 || used < soft)) {
            d.setSoftMemoryReported(false);
            log.info("domain {} is below its soft memory quota again", d.domid());
        }
    }
}
