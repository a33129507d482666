package org.hvsim.dom0.xenstore.conn;

import static org.hvsim.hv.abi.xenstore.XenstoreDomainInterface.*;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.dom0.xenstore.wire.XsFrameAssembler;
import org.hvsim.dom0.xenstore.wire.XsFrameException;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.GuestMemory;

/**
 * The guest's (xenbus driver's) side of a xenstore ring page, for tests: produces request bytes into
 * {@code req}, consumes response bytes from {@code rsp}, with the acquire/release discipline of a real
 * driver. Not thread-safe: one guest.
 */
public final class GuestRing {
    private final GuestMemory page;
    private final XsFrameAssembler responses = new XsFrameAssembler();

    public GuestRing(GuestMemory page) {
        this.page = page;
    }

    public GuestMemory page() {
        return page;
    }

    /** Writes as much of {@code b[off..off+len)} as fits; returns the bytes written. */
    public int write(byte[] b, int off, int len) {
        int cons = page.getIntAcquire(REQ_CONS);
        int prod = page.getInt(REQ_PROD);
        int space = XENSTORE_RING_SIZE - (prod - cons);
        int n = Math.max(0, Math.min(len, space));
        for (int i = 0; i < n; i++) {
            page.putByte(REQ + maskIndex(prod + i), b[off + i]);
        }
        page.putIntRelease(REQ_PROD, prod + n);
        return n;
    }

    /** Writes the whole message if it fits now; returns whether it did. */
    public boolean send(XsMessage m) {
        byte[] b = m.encode();
        int cons = page.getIntAcquire(REQ_CONS);
        int prod = page.getInt(REQ_PROD);
        if (XENSTORE_RING_SIZE - (prod - cons) < b.length) {
            return false;
        }
        return write(b, 0, b.length) == b.length;
    }

    /** Consumes every response byte available and returns the messages completed. */
    public List<XsMessage> receive() {
        List<XsMessage> out = new ArrayList<>();
        byte[] buf = new byte[1];
        while (true) {
            int cons = page.getInt(RSP_CONS);
            int prod = page.getIntAcquire(RSP_PROD);
            if (cons == prod) {
                return out;
            }
            int n = prod - cons;
            for (int i = 0; i < n; i++) {
                buf[0] = page.getByte(RSP + maskIndex(cons + i));
                try {
                    responses.feed(buf, 0, 1);
                } catch (XsFrameException e) {
                    throw new AssertionError("xenstored sent an oversized message", e);
                }
                XsMessage m = responses.take();
                if (m != null) {
                    out.add(m);
                }
            }
            page.putIntRelease(RSP_CONS, cons + n);
        }
    }

    /** Bytes of requests not yet taken by xenstored. */
    public int pendingRequestBytes() {
        return page.getIntAcquire(REQ_PROD) - page.getIntAcquire(REQ_CONS);
    }
}
