package org.hvsim.hv.memory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Page;

/**
 * Verifies the memory bookkeeping of a {@link HostMemory} at any moment: every frame is either in
 * exactly one free block or owned by exactly one domain (DOMID_XEN included); the allocator's free count
 * is exact; P2M and M2P agree both ways; {@code tot_pages} and the xen-heap count match the frames each
 * domain owns; released (zombie) frames are out of every P2M and still referenced; and each frame's
 * foreign reference count equals the number of shadow page-table slots mapping it.
 *
 * <p>Threads: any; a check holds the host lock for its whole run (O(frames)).
 */
public final class MemoryInvariantChecker {
    /** At most this many violations are reported; the rest are counted in the last one. */
    public static final int MAX_REPORTED = 100;

    /** What kind of invariant a violation breaks. */
    public enum Kind {
        /** A frame both free and owned, neither, or in two free blocks. */
        FRAME_STATE,
        /** A frame owned by a domain the host does not know, or a hypervisor frame given away. */
        OWNER,
        /** The allocator's free count differs from its free blocks. */
        FREE_COUNT,
        /** A P2M entry whose frame's M2P entry does not point back at it. */
        P2M_TO_M2P,
        /** An M2P entry whose gpfn's P2M entry does not point back at it. */
        M2P_TO_P2M,
        /** A domain's tot_pages differs from the RAM frames it owns. */
        TOT_PAGES,
        /** A domain's xen-heap count differs from the xen-heap frames it owns. */
        XENHEAP_PAGES,
        /** A released frame still mapped, or kept with no reference left. */
        ZOMBIE,
        /** A frame's foreign reference count differs from the shadow slots mapping it. */
        FOREIGN_REFS
    }

    /** One broken invariant. */
    public record Violation(Kind kind, String detail) {
        @Override
        public String toString() {
            return kind + ": " + detail;
        }
    }

    private final HostMemory host;

    public MemoryInvariantChecker(HostMemory host) {
        this.host = host;
    }

    /** The violations found; empty when the bookkeeping is consistent. */
    public List<Violation> check() {
        host.lock.lock();
        try {
            Report report = new Report();
            BitSet free = freeFrames(report);
            Map<Integer, DomainMemory> domains = new HashMap<>();
            for (DomainMemory d : host.domains()) {
                domains.put(d.domid(), d);
            }
            checkFrames(report, free, domains);
            for (DomainMemory d : domains.values()) {
                checkP2m(report, d);
            }
            checkShadow(report);
            return report.violations();
        } finally {
            host.lock.unlock();
        }
    }

    private BitSet freeFrames(Report report) {
        BitSet free = new BitSet((int) host.m2p.frames());
        long[] count = {0};
        host.allocator.forEachFreeBlock((mfn, order) -> {
            int from = (int) mfn;
            int to = (int) (mfn + (1L << order));
            if (free.nextSetBit(from) >= 0 && free.nextSetBit(from) < to) {
                report.add(Kind.FRAME_STATE, "free block at MFN 0x%x order %d overlaps another", mfn, order);
            }
            free.set(from, to);
            count[0] += 1L << order;
        });
        if (count[0] != host.allocator.freeFrames()) {
            report.add(Kind.FREE_COUNT, "allocator counts %d free frames, its free blocks hold %d",
                    host.allocator.freeFrames(), count[0]);
        }
        return free;
    }

    private void checkFrames(Report report, BitSet free, Map<Integer, DomainMemory> domains) {
        M2p m2p = host.m2p;
        Map<Integer, long[]> owned = new HashMap<>();
        for (long mfn = 0; mfn < m2p.frames(); mfn++) {
            PageType type = m2p.type(mfn);
            boolean isFree = free.get((int) mfn);
            if (type == PageType.FREE) {
                if (!isFree) {
                    report.add(Kind.FRAME_STATE, "MFN 0x%x is neither free nor owned", mfn);
                }
                continue;
            }
            int owner = m2p.owner(mfn);
            if (isFree) {
                report.add(Kind.FRAME_STATE, "MFN 0x%x is free but owned by d%d", mfn, owner);
            }
            if ((mfn < host.xenFrames()) != (owner == DomId.XEN)) {
                report.add(Kind.OWNER, "MFN 0x%x is owned by d%d; frames below 0x%x are the hypervisor's",
                        mfn, owner, host.xenFrames());
            }
            if (owner == DomId.XEN) {
                continue;
            }
            DomainMemory d = domains.get(owner);
            if (d == null) {
                report.add(Kind.OWNER, "MFN 0x%x is owned by d%d, which has no memory", mfn, owner);
                continue;
            }
            owned.computeIfAbsent(owner, k -> new long[2])[type == PageType.RAM ? 0 : 1]++;
            long gpfn = m2p.gpfn(mfn);
            if (m2p.isReleased(mfn)) {
                if (gpfn != Page.INVALID_FRAME || d.p2m.lookup(gpfn) == mfn) {
                    report.add(Kind.ZOMBIE, "released MFN 0x%x of d%d is still at gpfn 0x%x", mfn, owner, gpfn);
                }
                if (m2p.foreignRefs(mfn) == 0) {
                    report.add(Kind.ZOMBIE, "released MFN 0x%x of d%d has no reference left but is not freed", mfn, owner);
                }
            } else if (gpfn != Page.INVALID_FRAME && d.p2m.lookup(gpfn) != mfn) {
                report.add(Kind.M2P_TO_P2M, "M2P says MFN 0x%x is gpfn 0x%x of d%d; its P2M has 0x%x there",
                        mfn, gpfn, owner, d.p2m.lookup(gpfn));
            }
        }
        for (DomainMemory d : domains.values()) {
            long[] counts = owned.getOrDefault(d.domid(), new long[2]);
            if (counts[0] != d.totPages) {
                report.add(Kind.TOT_PAGES, "d%d has tot_pages %d but owns %d RAM frames", d.domid(), d.totPages, counts[0]);
            }
            if (counts[1] != d.xenheapPages) {
                report.add(Kind.XENHEAP_PAGES, "d%d counts %d xen-heap pages but owns %d", d.domid(), d.xenheapPages, counts[1]);
            }
        }
    }

    private void checkP2m(Report report, DomainMemory d) {
        M2p m2p = host.m2p;
        long[] mapped = {0};
        d.p2m.forEach((gpfn, mfn) -> {
            mapped[0]++;
            if (mfn >= m2p.frames()) {
                report.add(Kind.P2M_TO_M2P, "d%d gpfn 0x%x maps MFN 0x%x beyond the machine", d.domid(), gpfn, mfn);
            } else if (m2p.type(mfn) == PageType.FREE || m2p.owner(mfn) != d.domid() || m2p.gpfn(mfn) != gpfn
                    || m2p.isReleased(mfn)) {
                report.add(Kind.P2M_TO_M2P, "d%d gpfn 0x%x maps MFN 0x%x, whose M2P entry is %s of d%d at gpfn 0x%x%s",
                        d.domid(), gpfn, mfn, m2p.type(mfn), m2p.owner(mfn), m2p.gpfn(mfn),
                        m2p.isReleased(mfn) ? " (released)" : "");
            }
        });
        if (mapped[0] != d.p2m.mappedCount()) {
            report.add(Kind.P2M_TO_M2P, "d%d P2M counts %d entries but holds %d", d.domid(), d.p2m.mappedCount(), mapped[0]);
        }
    }

    private void checkShadow(Report report) {
        M2p m2p = host.m2p;
        Map<Long, Integer> refs = new HashMap<>();
        host.shadow.forEach((pteMa, mfn) -> {
            refs.merge(mfn, 1, Integer::sum);
            long pteFrame = pteMa >>> Page.SHIFT;
            if (m2p.type(pteFrame) != PageType.RAM || m2p.isReleased(pteFrame)) {
                report.add(Kind.FOREIGN_REFS, "slot 0x%x maps MFN 0x%x but lies in a frame that is not live RAM", pteMa, mfn);
            }
        });
        for (long mfn = 0; mfn < m2p.frames(); mfn++) {
            int slots = refs.getOrDefault(mfn, 0);
            int grants = host.grantRefs.getOrDefault(mfn, 0);
            if (m2p.foreignRefs(mfn) != slots + grants) {
                report.add(Kind.FOREIGN_REFS, "MFN 0x%x counts %d foreign references; %d shadow slots and %d grants map it",
                        mfn, m2p.foreignRefs(mfn), slots, grants);
            }
        }
    }

    /** Collects violations, keeping the first {@link #MAX_REPORTED}. */
    private static final class Report {
        private final List<Violation> list = new ArrayList<>();
        private long dropped;

        void add(Kind kind, String format, Object... args) {
            if (list.size() < MAX_REPORTED) {
                list.add(new Violation(kind, String.format(format, args)));
            } else {
                dropped++;
            }
        }

        List<Violation> violations() {
            if (dropped > 0) {
                list.add(new Violation(list.getLast().kind(), dropped + " more violations not listed"));
            }
            return List.copyOf(list);
        }
    }
}
