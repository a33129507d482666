package org.hvsim.dom0.xenstore;

import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * An open transaction of an in-process client: its operations see a snapshot taken at the start plus
 * their own changes; {@link #commit()} publishes them unless something they looked at changed meanwhile.
 * Either {@link #commit()} or {@link #abort()} ends it. Threads: any, one at a time.
 */
public final class XenstoreTransaction extends RequestOps {
    private final XenstoreClient client;
    private final int id;
    private boolean ended;

    XenstoreTransaction(XenstoreClient client, int id) {
        this.client = client;
        this.id = id;
    }

    /** xenstored's id of this transaction. */
    public int id() {
        return id;
    }

    @Override
    byte[] request(XsdSockmsgType type, byte[] payload) {
        if (ended) {
            throw new IllegalStateException("transaction " + id + " has ended");
        }
        return client.request(type, id, payload);
    }

    /**
     * Commits.
     *
     * @return false if another change conflicted (EAGAIN): nothing was written, start over
     * @throws XenstoreException for any other failure (the transaction has ended all the same)
     */
    public boolean commit() {
        try {
            end("T");
            return true;
        } catch (XenstoreException e) {
            if (e.error() == XsdError.EAGAIN) {
                return false;
            }
            throw e;
        }
    }

    /** Discards the transaction's changes. */
    public void abort() {
        end("F");
    }

    private void end(String how) {
        try {
            request(XsdSockmsgType.XS_TRANSACTION_END, new byte[] {(byte) how.charAt(0), 0});
        } finally {
            ended = true;
        }
    }
}
