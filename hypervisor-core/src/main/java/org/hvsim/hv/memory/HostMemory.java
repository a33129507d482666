package org.hvsim.hv.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Page;

/**
 * The machine's memory as the hypervisor manages it: the mapped {@link MachineMemory}, the
 * {@link FrameAllocator}, the {@link M2p}, the shadow of foreign page-table mappings, and the
 * {@link DomainMemory} of every domain that still owns frames. It owns the life of a frame: allocated to
 * a domain, released by it, kept as a zombie while foreign references remain, then scrubbed and freed.
 *
 * <p>Threads: any. One lock ({@link #lock}) serialises every change to frames, M2P, P2Ms and the shadow
 * table; guest memory accesses take no lock (see {@link DomainGuestMemory}).
 */
public final class HostMemory {
    final ReentrantLock lock = new ReentrantLock();
    final MachineMemory machine;
    final FrameAllocator allocator;
    final M2p m2p;
    final PteShadowTable shadow = new PteShadowTable();
    /** Foreign references held by grant mappings and copies, per MFN (the rest are {@link #shadow} slots). */
    final Map<Long, Integer> grantRefs = new HashMap<>();
    private final Map<Integer, DomainMemory> domains = new HashMap<>();
    private final long xenFrames;

    /**
     * Manages {@code machine}; its first {@code xenFrames} frames belong to the hypervisor
     * ({@code DOMID_XEN}, xen-heap) and are never allocated to domains.
     */
    public HostMemory(MachineMemory machine, long xenFrames) {
        this.machine = machine;
        this.allocator = new FrameAllocator(machine.frames(), xenFrames);
        this.m2p = new M2p(machine.frames());
        this.xenFrames = xenFrames;
        for (long mfn = 0; mfn < xenFrames; mfn++) {
            m2p.assign(mfn, DomId.XEN, PageType.XEN_HEAP, Page.INVALID_FRAME);
        }
    }

    public MachineMemory machine() {
        return machine;
    }

    public FrameAllocator allocator() {
        return allocator;
    }

    public M2p m2p() {
        return m2p;
    }

    /** Frames {@code [0, xenFrames)} are the hypervisor's. */
    public long xenFrames() {
        return xenFrames;
    }

    /**
     * Creates the memory of a new domain, with gpfns below {@code gpfnLimit} and {@code max_pages} 0.
     * Throws if {@code domid} is not a real id or a domain with that id still owns frames.
     */
    public DomainMemory createDomain(int domid, long gpfnLimit) {
        if (!DomId.isReal(domid)) {
            throw new IllegalArgumentException("not a real domain id: " + domid);
        }
        lock.lock();
        try {
            if (domains.containsKey(domid)) {
                throw new IllegalStateException("d" + domid + " still has memory");
            }
            DomainMemory d = new DomainMemory(this, domid, new P2m(gpfnLimit));
            domains.put(domid, d);
            return d;
        } finally {
            lock.unlock();
        }
    }

    /** The memory of {@code domid}, dying ones included until fully released; null if none. */
    public DomainMemory domain(int domid) {
        lock.lock();
        try {
            return domains.get(domid);
        } finally {
            lock.unlock();
        }
    }

    /** Every domain that still has memory. */
    public List<DomainMemory> domains() {
        lock.lock();
        try {
            return new ArrayList<>(domains.values());
        } finally {
            lock.unlock();
        }
    }

    /** Number of page-table slots currently mapping a frame through {@code mmu_update}. */
    public long shadowMappings() {
        lock.lock();
        try {
            return shadow.mappings();
        } finally {
            lock.unlock();
        }
    }

    // ---- frame life cycle; callers hold the lock ----

    /**
     * Takes a foreign reference on {@code mfn} for a mapping of a frame of {@code owner}; false (Xen's
     * -EINVAL) if the frame is not a live frame of that owner or its count is full.
     */
    boolean getRef(long mfn, int owner) {
        return mfn >= 0 && mfn < m2p.frames() && m2p.isLiveFrameOf(mfn, owner) && m2p.tryGetRef(mfn);
    }

    /** Drops a foreign reference; frees the frame if it was the last one on a released frame. */
    void putRef(long mfn) {
        if (m2p.putRef(mfn) == 0 && m2p.isReleased(mfn)) {
            DomainMemory owner = domains.get(m2p.owner(mfn));
            owner.guard.synchronize();
            free(owner, mfn, 1);
        }
    }

    /**
     * The owner gives up {@code mfn}, already removed from its P2M: the page-table mappings its slots
     * hold are dropped, then the frame is freed, or kept as a zombie while foreign references remain.
     * Returns whether it was freed. The caller has synchronised the owner's {@link TranslationGuard}.
     */
    boolean release(DomainMemory owner, long mfn) {
        shadow.dropFrame(mfn, (pteMa, mapped) -> putRef(mapped));
        if (m2p.foreignRefs(mfn) > 0) {
            m2p.markReleased(mfn);
            m2p.setGpfn(mfn, Page.INVALID_FRAME);
            return false;
        }
        free(owner, mfn, 1);
        return true;
    }

    /** Scrubs and frees {@code count} frames of {@code owner} from {@code mfn}, adjusting its counts. */
    void free(DomainMemory owner, long mfn, long count) {
        for (long f = mfn; f < mfn + count; f++) {
            if (m2p.type(f) == PageType.RAM) {
                owner.totPages--;
            } else {
                owner.xenheapPages--;
            }
            m2p.clear(f);
        }
        machine.scrub(mfn, count);
        allocator.freeRun(mfn, count);
        if (owner.isFullyReleased()) {
            forget(owner);
        }
    }

    /** Drops a fully released domain from the registry, so its id can be used again. */
    void forget(DomainMemory owner) {
        domains.remove(owner.domid(), owner);
    }

    /** Visits, in MFN order, every frame owned by {@code domid}. */
    void forEachFrameOf(int domid, FrameVisitor visitor) {
        long frames = m2p.frames();
        for (long mfn = xenFrames; mfn < frames; mfn++) {
            if (m2p.type(mfn) != PageType.FREE && m2p.owner(mfn) == domid) {
                visitor.visit(mfn);
            }
        }
    }

    @FunctionalInterface
    interface FrameVisitor {
        void visit(long mfn);
    }
}
