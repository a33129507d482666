package org.hvsim.domu.xenbus;

import static org.hvsim.hv.abi.xenstore.XenstoreDomainInterface.XENSTORE_RING_SIZE;

import java.util.Objects;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.xenstore.XenstoreDomainInterface;

/**
 * The guest end of the xenstore ring page ({@link XenstoreDomainInterface}): producer of {@code req}, consumer
 * of {@code rsp}. The guest keeps its own copies of the indices it owns ({@code req_prod}, {@code rsp_cons});
 * each call reads xenstored's index once with an acquire load and checks that no more than a ring lies
 * between the two ({@code check_indexes} in Linux's {@code xenbus_comms.c}); data is copied before the
 * guest's index is published with a release store. An index that fails the check throws
 * {@link XsProtocolException} and nothing is copied.
 *
 * <p>Threads: the request side ({@link #write}) and the response side ({@link #read}) are each used by one
 * thread at a time (the client's write mutex and response lock); {@link #resync} only while neither is (the
 * client is not connected: writers wait, and a new xenstored connects the ring only after the client let go
 * of the old one).
 * Every call takes the calling vCPU's memory, since a guest memory access is a preemption point of the vCPU
 * that makes it.
 */
final class XenstoreRing {
    private final long page;
    private int reqProd;
    private int rspCons;

    /** What {@link #resync} found: Linux reports a request ring that is not quiescent, and fixes up the response ring. */
    record Resync(int reqCons, int reqProd, int rspCons, int rspProd) {
        boolean requestsPending() {
            return reqCons != reqProd;
        }

        boolean responsesDiscarded() {
            return rspCons != rspProd;
        }
    }

    /** The ring page at guest-physical {@code page}. Call {@link #resync} before using it. */
    XenstoreRing(long page) {
        this.page = page;
    }

    /** {@code connection}: {@code XENSTORE_CONNECTED} or {@code XENSTORE_RECONNECT}. */
    int connection(GuestMemory m) {
        return m.getIntAcquire(page + XenstoreDomainInterface.CONNECTION);
    }

    int serverFeatures(GuestMemory m) {
        return m.getIntAcquire(page + XenstoreDomainInterface.SERVER_FEATURES);
    }

    /** {@code error}: meaningful only when xenstored offers {@code XENSTORE_SERVER_FEATURE_ERROR}. */
    int error(GuestMemory m) {
        return m.getIntAcquire(page + XenstoreDomainInterface.ERROR);
    }

    /**
     * Picks up the indices where they are now, as {@code xb_init_comms} does when the ring becomes usable:
     * responses already in the ring belong to nobody and are skipped ({@code rsp_cons = rsp_prod}).
     */
    Resync resync(GuestMemory m) {
        int reqCons = m.getIntAcquire(page + XenstoreDomainInterface.REQ_CONS);
        reqProd = m.getIntAcquire(page + XenstoreDomainInterface.REQ_PROD);
        rspCons = m.getIntAcquire(page + XenstoreDomainInterface.RSP_CONS);
        int rspProd = m.getIntAcquire(page + XenstoreDomainInterface.RSP_PROD);
        Resync r = new Resync(reqCons, reqProd, rspCons, rspProd);
        if (r.responsesDiscarded()) {
            rspCons = rspProd;
            m.putIntRelease(page + XenstoreDomainInterface.RSP_CONS, rspCons);
        }
        return r;
    }

    /**
     * Whether xenstored reset the response side under the client: {@code rsp_cons} is the guest's own
     * index, so a value on the page other than the guest's copy means a new server zeroed the ring. Response
     * side only.
     */
    boolean responseSideReset(GuestMemory m) {
        return m.getIntAcquire(page + XenstoreDomainInterface.RSP_CONS) != rspCons;
    }

    /** As {@link #responseSideReset} for {@code req_prod}. Request side only, between writes. */
    boolean requestSideReset(GuestMemory m) {
        return m.getIntAcquire(page + XenstoreDomainInterface.REQ_PROD) != reqProd;
    }

    /** Free bytes in {@code req} now. */
    int requestSpace(GuestMemory m) {
        return XENSTORE_RING_SIZE - requestsQueued(m);
    }

    /**
     * Copies as much of {@code src[off, off+len)} as fits into {@code req} and publishes it; returns the bytes
     * written (0 when the ring is full).
     */
    int write(GuestMemory m, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        int n = Math.min(len, XENSTORE_RING_SIZE - requestsQueued(m));
        if (n == 0) {
            return 0;
        }
        int at = XenstoreDomainInterface.maskIndex(reqProd);
        int first = Math.min(n, XENSTORE_RING_SIZE - at);
        m.write(page + XenstoreDomainInterface.REQ + at, src, off, first);
        if (n > first) {
            m.write(page + XenstoreDomainInterface.REQ, src, off + first, n - first);
        }
        reqProd += n;
        m.putIntRelease(page + XenstoreDomainInterface.REQ_PROD, reqProd);
        return n;
    }

    /** Unread bytes in {@code rsp} now. */
    int responsesQueued(GuestMemory m) {
        int prod = m.getIntAcquire(page + XenstoreDomainInterface.RSP_PROD);
        return checked("rsp", rspCons, prod);
    }

    /**
     * Copies up to {@code len} bytes of {@code rsp} into {@code dst[off..]} and releases them to xenstored;
     * returns the bytes read (0 when there are none).
     */
    int read(GuestMemory m, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int n = Math.min(len, responsesQueued(m));
        if (n == 0) {
            return 0;
        }
        int at = XenstoreDomainInterface.maskIndex(rspCons);
        int first = Math.min(n, XENSTORE_RING_SIZE - at);
        m.read(page + XenstoreDomainInterface.RSP + at, dst, off, first);
        if (n > first) {
            m.read(page + XenstoreDomainInterface.RSP, dst, off + first, n - first);
        }
        rspCons += n;
        m.putIntRelease(page + XenstoreDomainInterface.RSP_CONS, rspCons);
        return n;
    }

    private int requestsQueued(GuestMemory m) {
        int cons = m.getIntAcquire(page + XenstoreDomainInterface.REQ_CONS);
        return checked("req", cons, reqProd);
    }

    private static int checked(String ring, int cons, int prod) {
        int used = prod - cons;
        if (Integer.compareUnsigned(used, XENSTORE_RING_SIZE) > 0) {
            throw new XsProtocolException(ring + " ring indices cons " + Integer.toHexString(cons) + " prod "
                    + Integer.toHexString(prod) + " are more than a ring apart");
        }
        return used;
    }
}
