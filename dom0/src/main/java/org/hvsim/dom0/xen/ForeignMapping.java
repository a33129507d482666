package org.hvsim.dom0.xen;

import org.hvsim.hv.abi.GuestMemory;

/**
 * Frames of another domain mapped into dom0 (xenforeignmemory_map): a view of them, at the
 * guest-physical address the mapper chose, until {@link #close()} unmaps them. Threads: any; close once.
 */
public final class ForeignMapping implements AutoCloseable {
    private final ForeignMemory owner;
    private final int domid;
    private final long[] mfns;
    private final long ptPfn;
    private final int ptPages;
    private final GuestMemory memory;
    private boolean closed;

    ForeignMapping(ForeignMemory owner, int domid, long[] mfns, long ptPfn, int ptPages, GuestMemory memory) {
        this.owner = owner;
        this.domid = domid;
        this.mfns = mfns;
        this.ptPfn = ptPfn;
        this.ptPages = ptPages;
        this.memory = memory;
    }

    public int domid() {
        return domid;
    }

    public long[] mfns() {
        return mfns.clone();
    }

    /** The mapped frames, frame i at {@code base + i * 4096} (base as given to the mapper). */
    public GuestMemory memory() {
        return memory;
    }

    long ptPfn() {
        return ptPfn;
    }

    /** dom0's page-table frame holding this mapping's first slot (a restarted dom0 clears it). */
    public long ptFrame() {
        return ptPfn;
    }

    int ptPages() {
        return ptPages;
    }

    int count() {
        return mfns.length;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            owner.unmap(this);
        }
    }
}
