package org.hvsim.dom0.xenstore.core;

import org.hvsim.dom0.xenstore.store.XsPath;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/**
 * One request being processed: who sent it, the message, and the transaction it runs in (if any).
 * Replies go through here so that one that would exceed {@code XENSTORE_PAYLOAD_MAX} becomes E2BIG.
 * Threads: the dispatch thread only.
 */
final class Request {
    private final Connection conn;
    private final XsMessage message;
    private final Transaction transaction;
    private final NodeAccess access;

    Request(Connection conn, XsMessage message, Transaction transaction, NodeAccess storeAccess) {
        this.conn = conn;
        this.message = message;
        this.transaction = transaction;
        this.access = transaction != null ? transaction : storeAccess;
    }

    Connection conn() {
        return conn;
    }

    XsdSockmsg header() {
        return message.header();
    }

    byte[] payload() {
        return message.payload();
    }

    /** The transaction named by the header, or {@code null}. */
    Transaction transaction() {
        return transaction;
    }

    /** The nodes this request sees: its transaction's view or the store. */
    NodeAccess access() {
        return access;
    }

    /** The payload's single string, or {@code null} if it is not exactly one NUL-terminated string. */
    String oneArg() {
        return XsPayload.oneArg(message.payload());
    }

    /** {@code raw} as an absolute path for this connection (EINVAL if invalid). */
    String path(String raw, boolean allowSpecial) {
        long pathMax = conn.privileged() ? 0 : conn.domain().hardLimit(Quota.PATH_MAX);
        String name = XsPath.canonicalize(raw, conn.home(), allowSpecial, pathMax);
        conn.domain().observe(Quota.PATH_MAX, name.length() - XsPath.localOffset(name));
        return name;
    }

    void reply(byte[] payload) {
        if (payload.length > XsdSockmsg.XENSTORE_PAYLOAD_MAX) {
            error(XsdError.E2BIG);
            return;
        }
        conn.sendReply(XsMessage.reply(message.header(), payload));
    }

    /** Replies {@code OK\0}. */
    void ack() {
        reply(XsPayload.OK);
    }

    void error(XsdError e) {
        conn.sendReply(XsMessage.error(message.header(), e));
    }
}
