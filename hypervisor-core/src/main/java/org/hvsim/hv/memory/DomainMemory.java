package org.hvsim.hv.memory;

import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.Page;

/**
 * One domain's memory: its {@link P2m}, {@code tot_pages} (RAM frames it owns, released ones that
 * foreign references keep alive included, as in Xen), {@code max_pages}, and its xen-heap pages. Frames
 * are allocated and freed here; every method that changes state returns a negative Xen errno on failure
 * rather than throwing, because its arguments come from hypercalls.
 *
 * <p>Threads: any; mutations hold the {@link HostMemory} lock, getters read volatile fields.
 */
public final class DomainMemory {
    /** gpfns removed per {@link TranslationGuard#synchronize} when decreasing a large extent. */
    private static final int RELEASE_BATCH = 512;

    private final HostMemory host;
    private final int domid;
    final P2m p2m;
    final TranslationGuard guard = new TranslationGuard();
    volatile long totPages;
    volatile long xenheapPages;
    private volatile long maxPages;
    private volatile boolean released;

    DomainMemory(HostMemory host, int domid, P2m p2m) {
        this.host = host;
        this.domid = domid;
        this.p2m = p2m;
    }

    public int domid() {
        return domid;
    }

    public HostMemory host() {
        return host;
    }

    public P2m p2m() {
        return p2m;
    }

    /** {@code tot_pages}: RAM frames owned, released-but-referenced ones included. */
    public long totPages() {
        return totPages;
    }

    /** {@code max_pages}: allocations beyond it fail with -E2BIG. */
    public long maxPages() {
        return maxPages;
    }

    /** Sets {@code max_pages} (domctl max_mem); it may be below {@code tot_pages}, which only stops growth. */
    public void setMaxPages(long pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("max_pages " + pages);
        }
        maxPages = pages;
    }

    /** Xen-heap pages shared with this domain (shared_info), not counted in {@code tot_pages}. */
    public long xenheapPages() {
        return xenheapPages;
    }

    /** {@code XENMEM_maximum_gpfn}: the highest gpfn ever populated, 0 if none. */
    public long maximumGpfn() {
        return p2m.maxMappedGpfn();
    }

    /** The MFN behind {@code gpfn}, or {@link Page#INVALID_FRAME}. */
    public long lookup(long gpfn) {
        return p2m.lookup(gpfn);
    }

    /** Whether {@link #releaseAll} has run: no more allocation. */
    public boolean isReleased() {
        return released;
    }

    /** Whether {@link #releaseAll} has run and every frame, zombies included, is free: the domain can be reaped. */
    public boolean isFullyReleased() {
        return released && totPages == 0 && xenheapPages == 0;
    }

    /**
     * Allocates 2^order frames and maps them at gpfns {@code [gpfn, gpfn + 2^order)}. Returns the first
     * MFN, or -EINVAL (bad order or range, or releasing), -EEXIST (a gpfn already populated), -E2BIG
     * (over {@code max_pages}), -ENOMEM (no free block).
     */
    public long populatePhysmap(long gpfn, int order) {
        if (order < 0 || order > FrameAllocator.MAX_ORDER || gpfn < 0 || gpfn > p2m.gpfnLimit() - (1L << order)) {
            return -Errno.EINVAL;
        }
        host.lock.lock();
        try {
            for (long j = 0; j < 1L << order; j++) {
                if (p2m.lookup(gpfn + j) != Page.INVALID_FRAME) {
                    return -Errno.EEXIST;
                }
            }
            long mfn = allocate(order);
            if (mfn < 0) {
                return mfn;
            }
            for (long j = 0; j < 1L << order; j++) {
                host.m2p.assign(mfn + j, domid, PageType.RAM, gpfn + j);
                p2m.set(gpfn + j, mfn + j);
            }
            return mfn;
        } finally {
            host.lock.unlock();
        }
    }

    /**
     * Allocates 2^order frames owned by this domain but in no P2M slot (the PV {@code increase_reservation},
     * whose caller learns the MFNs). Returns the first MFN or an errno as {@link #populatePhysmap}.
     */
    public long increaseReservation(int order) {
        if (order < 0 || order > FrameAllocator.MAX_ORDER) {
            return -Errno.EINVAL;
        }
        host.lock.lock();
        try {
            long mfn = allocate(order);
            if (mfn >= 0) {
                for (long j = 0; j < 1L << order; j++) {
                    host.m2p.assign(mfn + j, domid, PageType.RAM, Page.INVALID_FRAME);
                }
            }
            return mfn;
        } finally {
            host.lock.unlock();
        }
    }

    /** Reserves room for, then allocates, 2^order RAM frames; caller holds the lock and fills the M2P. */
    private long allocate(int order) {
        if (released) {
            return -Errno.EINVAL;
        }
        if (totPages + (1L << order) > maxPages) {
            return -Errno.E2BIG;
        }
        long mfn = host.allocator.allocate(order);
        if (mfn < 0) {
            return -Errno.ENOMEM;
        }
        totPages += 1L << order;
        return mfn;
    }

    /**
     * Removes gpfns {@code [gpfn, gpfn + 2^order)} from the P2M and releases their RAM frames (freed, or
     * kept as zombies while foreign references remain); xen-heap pages mapped there are only unmapped, as
     * Xen keeps its own reference on them. Stops at the first gpfn that is not populated and
     * returns -EINVAL, the earlier ones staying removed, as Xen's {@code guest_remove_page}; 0 on success.
     */
    public long decreaseReservation(long gpfn, int order) {
        if (order < 0 || order > FrameAllocator.MAX_ORDER || gpfn < 0) {
            return -Errno.EINVAL;
        }
        long end = gpfn + (1L << order);
        long[] batch = new long[(int) Math.min(RELEASE_BATCH, 1L << order)];
        host.lock.lock();
        try {
            for (long at = gpfn; at < end; ) {
                int n = 0;
                boolean hole = false;
                while (n < batch.length && at < end) {
                    long mfn = p2m.lookup(at);
                    if (mfn == Page.INVALID_FRAME) {
                        hole = true;
                        break;
                    }
                    p2m.clear(at);
                    host.m2p.setGpfn(mfn, Page.INVALID_FRAME);
                    // A xen-heap page (shared_info, a grant table frame) is only unmapped: the hypervisor uses it still.
                    if (host.m2p.type(mfn) == PageType.RAM) {
                        batch[n++] = mfn;
                    }
                    at++;
                }
                guard.synchronize();
                for (int i = 0; i < n; i++) {
                    host.release(this, batch[i]);
                }
                if (hole) {
                    return -Errno.EINVAL;
                }
            }
            return 0;
        } finally {
            host.lock.unlock();
        }
    }

    /**
     * Allocates a xen-heap page owned by this domain (for shared_info), zero-filled, not counted in
     * {@code tot_pages}. Returns its MFN, or -EINVAL (releasing) or -ENOMEM.
     */
    public long allocateSharedPage() {
        host.lock.lock();
        try {
            if (released) {
                return -Errno.EINVAL;
            }
            long mfn = host.allocator.allocate(0);
            if (mfn < 0) {
                return -Errno.ENOMEM;
            }
            host.m2p.assign(mfn, domid, PageType.XEN_HEAP, Page.INVALID_FRAME);
            xenheapPages++;
            return mfn;
        } finally {
            host.lock.unlock();
        }
    }

    /**
     * XENMEM_add_to_physmap with XENMAPSPACE_shared_info: maps this domain's xen-heap page {@code mfn}
     * at {@code gpfn}, moving it from where it was mapped before. A RAM frame at {@code gpfn} is
     * removed from the P2M and released first, as Xen's add_to_physmap does. Returns 0 or -EINVAL.
     */
    public long mapSharedPage(long mfn, long gpfn) {
        host.lock.lock();
        try {
            M2p m2p = host.m2p;
            if (released || mfn < 0 || mfn >= m2p.frames() || m2p.type(mfn) != PageType.XEN_HEAP
                    || m2p.owner(mfn) != domid || gpfn < 0 || gpfn >= p2m.gpfnLimit()) {
                return -Errno.EINVAL;
            }
            long current = p2m.lookup(gpfn);
            if (current == mfn) {
                return 0;
            }
            long old = m2p.gpfn(mfn);
            if (old != Page.INVALID_FRAME) {
                p2m.clear(old);
            }
            if (current != Page.INVALID_FRAME) {
                p2m.clear(gpfn);
                m2p.setGpfn(current, Page.INVALID_FRAME);
                guard.synchronize();
                if (m2p.type(current) == PageType.RAM) {
                    host.release(this, current);
                }
            }
            p2m.set(gpfn, mfn);
            m2p.setGpfn(mfn, gpfn);
            return 0;
        } finally {
            host.lock.unlock();
        }
    }

    /**
     * A grant mapping or copy of this domain's {@code gpfn} starts: takes a foreign reference on the RAM
     * frame there, so it stays allocated (as a zombie if this domain frees it or dies) until
     * {@link #putGrantFrame}. Returns the MFN, or -EINVAL (not a populated RAM gpfn, releasing, or the
     * frame's reference count is full).
     */
    public long getGrantFrame(long gpfn) {
        host.lock.lock();
        try {
            if (released || gpfn < 0 || gpfn >= p2m.gpfnLimit()) {
                return -Errno.EINVAL;
            }
            long mfn = p2m.lookup(gpfn);
            if (mfn == Page.INVALID_FRAME || host.m2p.type(mfn) != PageType.RAM || !host.getRef(mfn, domid)) {
                return -Errno.EINVAL;
            }
            host.grantRefs.merge(mfn, 1, Integer::sum);
            return mfn;
        } finally {
            host.lock.unlock();
        }
    }

    /** Drops a reference {@link #getGrantFrame} took on {@code mfn}; frees the frame if it was the last on a released one. */
    public void putGrantFrame(long mfn) {
        host.lock.lock();
        try {
            Integer n = host.grantRefs.get(mfn);
            if (n == null) {
                throw new IllegalStateException("no grant reference on MFN 0x" + Long.toHexString(mfn));
            }
            if (n == 1) {
                host.grantRefs.remove(mfn);
            } else {
                host.grantRefs.put(mfn, n - 1);
            }
            host.putRef(mfn);
        } finally {
            host.lock.unlock();
        }
    }

    /** The gpfn at which this domain's xen-heap page {@code mfn} is mapped, or {@link Page#INVALID_FRAME}. */
    public long gpfnOfSharedPage(long mfn) {
        host.lock.lock();
        try {
            M2p m2p = host.m2p;
            if (mfn < 0 || mfn >= m2p.frames() || m2p.type(mfn) != PageType.XEN_HEAP || m2p.owner(mfn) != domid) {
                return Page.INVALID_FRAME;
            }
            return m2p.gpfn(mfn);
        } finally {
            host.lock.unlock();
        }
    }

    /**
     * Destruction: empties the P2M, drops the page-table mappings this domain's frames hold, and frees
     * every frame no foreign reference holds; the rest are freed when their last reference goes.
     * Idempotent. {@link #isFullyReleased} then tells when the domain can be reaped. Finding frames
     * outside the P2M scans the M2P: O(machine frames), tens of milliseconds for 16 M frames.
     */
    public void releaseAll() {
        host.lock.lock();
        try {
            if (released) {
                return;
            }
            released = true;
            p2m.forEach((gpfn, mfn) -> p2m.clear(gpfn));
            guard.synchronize();
            M2p m2p = host.m2p;
            long runStart = 0;
            long runLength = 0;
            for (long mfn = host.xenFrames(); mfn < m2p.frames(); mfn++) {
                if (m2p.type(mfn) == PageType.FREE || m2p.owner(mfn) != domid || m2p.isReleased(mfn)) {
                    continue;
                }
                m2p.setGpfn(mfn, Page.INVALID_FRAME);
                host.shadow.dropFrame(mfn, (pteMa, mapped) -> host.putRef(mapped));
                if (m2p.foreignRefs(mfn) > 0) {
                    m2p.markReleased(mfn);
                    continue;
                }
                if (runLength > 0 && runStart + runLength == mfn) {
                    runLength++;
                } else {
                    if (runLength > 0) {
                        host.free(this, runStart, runLength);
                    }
                    runStart = mfn;
                    runLength = 1;
                }
            }
            if (runLength > 0) {
                host.free(this, runStart, runLength);
            }
            if (isFullyReleased()) {
                host.forget(this);
            }
        } finally {
            host.lock.unlock();
        }
    }

    /**
     * {@code MMU_MACHPHYS_UPDATE} on a P2M this hypervisor keeps: moves RAM frame {@code mfn} of this
     * domain to {@code gpfn} ({@link Page#INVALID_FRAME}: out of the P2M, still owned). Returns 0,
     * -EINVAL (not a live RAM frame of this domain, or gpfn out of range) or -EEXIST (gpfn holds
     * another frame). Caller holds the lock.
     */
    long setPhysmap(long mfn, long gpfn) {
        M2p m2p = host.m2p;
        if (mfn < 0 || mfn >= m2p.frames() || !m2p.isLiveFrameOf(mfn, domid) || m2p.type(mfn) != PageType.RAM) {
            return -Errno.EINVAL;
        }
        if (gpfn != Page.INVALID_FRAME && (gpfn < 0 || gpfn >= p2m.gpfnLimit())) {
            return -Errno.EINVAL;
        }
        long current = gpfn == Page.INVALID_FRAME ? Page.INVALID_FRAME : p2m.lookup(gpfn);
        if (current != Page.INVALID_FRAME && current != mfn) {
            return -Errno.EEXIST;
        }
        long old = m2p.gpfn(mfn);
        if (old != Page.INVALID_FRAME) {
            p2m.clear(old);
        }
        if (gpfn != Page.INVALID_FRAME) {
            p2m.set(gpfn, mfn);
        }
        m2p.setGpfn(mfn, gpfn);
        return 0;
    }

    @Override
    public String toString() {
        return "d" + domid + " memory (tot_pages " + totPages + ", max_pages " + maxPages + ")";
    }
}
