package org.hvsim.hv.abi;

/**
 * {@code struct multicall_entry}: {@code op} u64 @0, {@code result} u64 @8 (OUT), {@code args[6]} u64 @16.
 * The multicall hypercall runs an array of them in order and writes each result back.
 */
public record MulticallEntry(long op, long result, long[] args) {
    public static final int SIZE = 64;
    public static final int RESULT = 8;
    public static final int ARGS = 16;
    public static final int NR_ARGS = 6;

    public static MulticallEntry read(GuestMemory m, long a) {
        long[] args = new long[NR_ARGS];
        for (int i = 0; i < NR_ARGS; i++) {
            args[i] = m.getLong(a + ARGS + 8L * i);
        }
        return new MulticallEntry(m.getLong(a), m.getLong(a + RESULT), args);
    }

    public void write(GuestMemory m, long a) {
        m.putLong(a, op);
        m.putLong(a + RESULT, result);
        for (int i = 0; i < NR_ARGS; i++) {
            m.putLong(a + ARGS + 8L * i, i < args.length ? args[i] : 0);
        }
    }
}
