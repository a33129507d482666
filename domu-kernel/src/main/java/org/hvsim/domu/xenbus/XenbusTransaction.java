package org.hvsim.domu.xenbus;

/**
 * A XenStore transaction ({@code struct xenbus_transaction}): the id xenstored gave at
 * {@code XS_TRANSACTION_START}, put in the {@code tx_id} of every request made in it. {@link #NIL} (0) is
 * "no transaction".
 */
public record XenbusTransaction(int id) {
    /** {@code XBT_NIL}. */
    public static final XenbusTransaction NIL = new XenbusTransaction(0);

    /** The body of {@link XenbusClient#transaction}: what to do inside one attempt. */
    @FunctionalInterface
    public interface Body<R> {
        R run(XenbusTransaction t);
    }

    /** Parses xenstored's reply to {@code XS_TRANSACTION_START}: a non-zero unsigned 32-bit decimal. */
    static XenbusTransaction parse(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new XsProtocolException("transaction id \"" + s + "\" is not a decimal number");
        }
        long id = Long.parseLong(s);
        if (id == 0 || id > 0xffff_ffffL) {
            throw new XsProtocolException("transaction id " + s + " is not a valid id");
        }
        return new XenbusTransaction((int) id);
    }

    @Override
    public String toString() {
        return "transaction " + Integer.toUnsignedString(id);
    }
}
