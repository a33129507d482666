package org.hvsim.hv.abi;

/** {@code EVTCHNOP_*} commands of {@code event_channel_op} and {@code EVTCHNSTAT_*} values. */
public final class EvtchnOp {
    public static final int BIND_INTERDOMAIN = 0;
    public static final int BIND_VIRQ = 1;
    public static final int BIND_PIRQ = 2;
    public static final int CLOSE = 3;
    public static final int SEND = 4;
    public static final int STATUS = 5;
    public static final int ALLOC_UNBOUND = 6;
    public static final int BIND_IPI = 7;
    public static final int BIND_VCPU = 8;
    public static final int UNMASK = 9;
    public static final int RESET = 10;
    public static final int INIT_CONTROL = 11;
    public static final int EXPAND_ARRAY = 12;
    public static final int SET_PRIORITY = 13;
    public static final int RESET_CONT = 14;

    public static final int STAT_CLOSED = 0;
    public static final int STAT_UNBOUND = 1;
    public static final int STAT_INTERDOMAIN = 2;
    public static final int STAT_PIRQ = 3;
    public static final int STAT_VIRQ = 4;
    public static final int STAT_IPI = 5;

    /** 2-level ABI port count for 64-bit guests: 64 words of 64 bits. */
    public static final int NR_2L_CHANNELS = 4096;
    /** libxl's default {@code event_channels}: the highest usable port. */
    public static final int DEFAULT_MAX_PORT = 1023;

    private EvtchnOp() {}
}
