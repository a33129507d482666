package org.hvsim.dom0.xenstore.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.hvsim.dom0.xenstore.store.XsPath;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.DomId;

/**
 * One client of xenstored ({@code struct connection}): a dom0 tool on the Unix socket, the toolstack's
 * in-process client, or a domain's ring. Holds the client's watches and open transactions; subclasses
 * deliver replies and watch events over their transport and bound what they queue.
 * Threads: everything here, including the subclass hooks, runs on the dispatch thread.
 */
public abstract class Connection {
    private final Domain domain;
    private final boolean privileged;
    private final String home;
    private final List<Watch> watches = new ArrayList<>();
    private final Map<Integer, Transaction> transactions = new LinkedHashMap<>();
    private int nextTransactionId = 1;
    private boolean closed;

    /**
     * @param domain the domain this client acts as (dom0 for socket and in-process clients)
     */
    protected Connection(Domain domain) {
        this.domain = domain;
        this.privileged = domain.domid() == DomId.DOM0;
        this.home = XsPath.domainPath(domain.domid());
    }

    /** Queues {@code reply} (to a request of this connection) for delivery. */
    protected abstract void sendReply(XsMessage reply);

    /**
     * Queues a watch event for delivery, unless this connection's limits say to drop it.
     *
     * @return whether the event was queued
     */
    protected abstract boolean sendEvent(XsMessage event);

    /** Releases the transport (called once, after watches and transactions are gone). */
    protected abstract void closeTransport();

    public final Domain domain() {
        return domain;
    }

    public final int domid() {
        return domain.domid();
    }

    /** Whether permission checks and quotas are bypassed (dom0's clients). */
    public final boolean privileged() {
        return privileged;
    }

    /** {@code /local/domain/<domid>}: the base of relative paths (dom0's home for socket clients). */
    public final String home() {
        return home;
    }

    public final boolean closed() {
        return closed;
    }

    List<Watch> watches() {
        return watches;
    }

    Transaction transaction(int id) {
        return transactions.get(id);
    }

    Collection<Transaction> transactions() {
        return transactions.values();
    }

    /** Registers a new transaction under a fresh id (never 0, never one in use). */
    int addTransaction(IntFunction<Transaction> factory) {
        int id;
        do {
            id = nextTransactionId++;
        } while (id == 0 || transactions.containsKey(id));
        transactions.put(id, factory.apply(id));
        return id;
    }

    void removeTransaction(int id) {
        transactions.remove(id);
    }

    void markClosed() {
        closed = true;
    }
}
