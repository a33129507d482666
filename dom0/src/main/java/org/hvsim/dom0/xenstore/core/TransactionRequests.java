package org.hvsim.dom0.xenstore.core;

import java.util.ArrayList;
import org.hvsim.dom0.xenstore.store.Store;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * TRANSACTION_START and TRANSACTION_END ({@code do_transaction_start()}, {@code do_transaction_end()}).
 * Ids are per connection and never 0; a START inside a transaction is EBUSY; END takes {@code T}
 * (commit) or {@code F} (abort) and always ends the transaction, also when the commit fails.
 * Threads: the dispatch thread only.
 */
final class TransactionRequests {
    private final Store store;
    private final StoreAccess storeAccess;
    private final WatchEvents watches;
    private final Domains domains;

    TransactionRequests(Store store, StoreAccess storeAccess, WatchEvents watches, Domains domains) {
        this.store = store;
        this.storeAccess = storeAccess;
        this.watches = watches;
        this.domains = domains;
    }

    /** TRANSACTION_START {@code |}: replies the new id in decimal with a NUL. */
    void start(Request r) {
        Connection c = r.conn();
        if (r.transaction() != null) {
            throw new XenstoreException(XsdError.EBUSY, "nested transaction");
        }
        if (c.domain().exceeds(Quota.TRANSACTIONS, c.domain().usage(Quota.TRANSACTIONS) + 1)) {
            throw new XenstoreException(XsdError.ENOSPC, "transactions quota");
        }
        int id = c.addTransaction(i -> new Transaction(i, c, store));
        c.domain().add(Quota.TRANSACTIONS, 1);
        r.reply(XsPayload.cString(Integer.toUnsignedString(id)));
    }

    /** TRANSACTION_END {@code T|} or {@code F|}. */
    void end(Request r) {
        String arg = r.oneArg();
        if (arg == null || !(arg.equals("T") || arg.equals("F"))) {
            throw new XenstoreException(XsdError.EINVAL, "TRANSACTION_END takes T or F");
        }
        Transaction t = r.transaction();
        if (t == null) {
            throw new XenstoreException(XsdError.ENOENT, "no transaction");
        }
        end(t);
        if (arg.equals("T")) {
            t.commit(storeAccess, watches, domains);
        }
        r.ack();
    }

    /** Removes {@code t} from its connection and gives back what it held. */
    private static void end(Transaction t) {
        Connection c = t.owner();
        c.removeTransaction(t.id());
        c.domain().add(Quota.TRANSACTIONS, -1);
        t.release();
    }

    /** Aborts every transaction of {@code c}. */
    void dropAll(Connection c) {
        for (Transaction t : new ArrayList<>(c.transactions())) {
            end(t);
        }
    }
}
