package org.hvsim.hv.abi.xenstore;

/**
 * {@code struct xenstore_domain_interface} ({@code public/io/xs_wire.h}): a domain's xenstore ring page,
 * shared by the guest's xenbus driver and xenstored. Indices are free-running 32-bit counters masked with
 * {@link #MASK_XENSTORE_IDX}; each side publishes its index with a release store after the data, reads the
 * other's with an acquire load, reads it once per pass, and rejects {@code prod - cons > RING_SIZE}.
 *
 * <pre>
 *    0  char req[1024]        guest → xenstored
 * 1024  char rsp[1024]        xenstored → guest
 * 2048  u32  req_cons         [xenstored]
 * 2052  u32  req_prod         [guest]
 * 2056  u32  rsp_cons         [guest]
 * 2060  u32  rsp_prod         [xenstored]
 * 2064  u32  server_features  XENSTORE_SERVER_FEATURE_*
 * 2068  u32  connection       XENSTORE_CONNECTED / XENSTORE_RECONNECT
 * 2072  u32  error            XENSTORE_ERROR_*
 * 2076  u32  evtchn_port
 * </pre>
 */
public final class XenstoreDomainInterface {
    public static final int XENSTORE_RING_SIZE = 1024;
    public static final int MASK_XENSTORE_IDX = XENSTORE_RING_SIZE - 1;

    public static final int REQ = 0;
    public static final int RSP = 1024;
    public static final int REQ_CONS = 2048;
    public static final int REQ_PROD = 2052;
    public static final int RSP_CONS = 2056;
    public static final int RSP_PROD = 2060;
    public static final int SERVER_FEATURES = 2064;
    public static final int CONNECTION = 2068;
    public static final int ERROR = 2072;
    public static final int EVTCHN_PORT = 2076;

    public static final int XENSTORE_SERVER_FEATURE_RECONNECTION = 1;
    public static final int XENSTORE_SERVER_FEATURE_ERROR = 2;
    public static final int XENSTORE_SERVER_FEATURE_WATCHDEPTH = 4;
    public static final int XENSTORE_SERVER_FEATURE_DOMID_ANY = 8;

    public static final int XENSTORE_CONNECTED = 0;
    public static final int XENSTORE_RECONNECT = 1;

    public static final int XENSTORE_ERROR_NONE = 0;
    public static final int XENSTORE_ERROR_COMM = 1;
    public static final int XENSTORE_ERROR_RINGIDX = 2;
    public static final int XENSTORE_ERROR_PROTO = 3;

    private XenstoreDomainInterface() {}

    /** {@code MASK_XENSTORE_IDX(idx)}: the ring offset of free-running index {@code idx}. */
    public static int maskIndex(int idx) {
        return idx & MASK_XENSTORE_IDX;
    }
}
