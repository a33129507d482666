package org.hvsim.hv.gnttab;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GrantEntryV1;
import org.hvsim.hv.abi.gnttab.Gtf;
import org.hvsim.hv.memory.DomainMemory;
import org.hvsim.hv.memory.MachineMemory;

/**
 * One domain's grant table (Xen's {@code struct grant_table}), v1. The shared entries live in table
 * frames the domain owns (xen-heap pages, like shared_info), mapped into its P2M at default GFNs just
 * below its P2M limit ({@link #frameGfn}) or wherever the guest puts them with XENMAPSPACE_grant_table
 * ({@link #mapFrame}), as an auto-translated guest does; the table grows a frame at a time up to
 * {@code max_grant_frames}. Beside them the hypervisor keeps private {@link ActiveGrant}s
 * with pin counts, and, for the mappings this domain holds of other domains' grants, a {@link Maptrack}.
 *
 * <p>A guest entry is read once per attempt (all 8 bytes in one load), validated, and its flags set
 * with one compare-and-exchange of the flags+domid word against what was read; an entry that keeps
 * changing under the hypervisor fails after four tries, as Xen's "unstable" entries do. Flags are
 * cleared with an atomic AND, which a guest cannot make fail.
 *
 * <p>When the domain dies its table is {@link #destroy destroyed}: its own mappings of others' grants
 * are released, and the grants others still map of it stay pinned, their frames kept allocated by
 * their foreign references until the last unmap, after which the domain's memory is freed (Xen keeps
 * a dying domain's pages the same way).
 *
 * <p>Threads: any vCPU and dom0's privcmd threads. Pins and growth hold {@link #lock}; the maptrack
 * has its own lock; the two are never held together. Under {@link #lock} the host memory lock may be
 * taken, never the other way round.
 */
public final class GrantTable {
    /** Xen's {@code gnttab_max_frames} boot default: the most frames any domain's table may have. */
    public static final int HV_MAX_GRANT_FRAMES = 64;
    /** Xen's {@code gnttab_max_maptrack_frames} boot default. */
    public static final int HV_MAX_MAPTRACK_FRAMES = 1024;
    /** Tries to set flags on an entry the guest keeps changing (Xen's {@code _set_status_v1}). */
    static final int SET_STATUS_RETRIES = 4;

    private final int domid;
    private final DomainMemory memory;
    private final MachineMemory machine;
    private final int maxFrames;
    private final Maptrack maptrack;
    private final ReentrantLock lock = new ReentrantLock();
    private final GuestMemory[] frames;
    private final long[] frameMfns;
    private volatile int nrFrames;
    private ActiveGrant[] active = new ActiveGrant[0];
    private boolean dead;

    /**
     * An empty table of {@code domid}, whose frames come from {@code memory}.
     *
     * @throws IllegalArgumentException if a limit is outside what {@link #checkLimits} accepts
     */
    public GrantTable(int domid, DomainMemory memory, MachineMemory machine, int maxFrames, int maxMaptrackFrames) {
        String bad = checkLimits(maxFrames, maxMaptrackFrames);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        this.domid = domid;
        this.memory = memory;
        this.machine = machine;
        this.maxFrames = maxFrames;
        this.maptrack = new Maptrack(maxMaptrackFrames);
        this.frames = new GuestMemory[maxFrames];
        this.frameMfns = new long[maxFrames];
    }

    /** Why createdomain's limits are refused (Xen's {@code grant_table_init}: -EINVAL), or null if fine. */
    public static String checkLimits(int maxFrames, int maxMaptrackFrames) {
        if (maxFrames < 1 || maxFrames > HV_MAX_GRANT_FRAMES) {
            return "max_grant_frames " + maxFrames + " not in 1.." + HV_MAX_GRANT_FRAMES;
        }
        if (maxMaptrackFrames < 0 || maxMaptrackFrames > HV_MAX_MAPTRACK_FRAMES) {
            return "max_maptrack_frames " + maxMaptrackFrames + " not in 0.." + HV_MAX_MAPTRACK_FRAMES;
        }
        return null;
    }

    /** The GFN at which table frame {@code i} of a domain with {@code memory} is mapped. */
    public static long frameGfn(DomainMemory memory, int i) {
        return memory.p2m().gpfnLimit() - HV_MAX_GRANT_FRAMES + i;
    }

    public int domid() {
        return domid;
    }

    public int nrFrames() {
        return nrFrames;
    }

    public int maxFrames() {
        return maxFrames;
    }

    /** Refs {@code 0..nrEntries()-1} exist. */
    public int nrEntries() {
        return nrFrames * GrantEntryV1.PER_FRAME;
    }

    /** The default GFN of this table's frame {@code i}: where {@link #grow} maps it. */
    public long frameGfn(int i) {
        return frameGfn(memory, i);
    }

    /**
     * Where frame {@code i} is mapped now: its default GFN, or where XENMAPSPACE_grant_table moved it, or
     * {@link Page#INVALID_FRAME} if the guest unmapped it.
     */
    public long currentGfn(int i) {
        lock.lock();
        try {
            return i < 0 || i >= nrFrames ? Page.INVALID_FRAME : memory.gpfnOfSharedPage(frameMfns[i]);
        } finally {
            lock.unlock();
        }
    }

    /**
     * XENMAPSPACE_grant_table (Xen's {@code gnttab_map_frame}): maps frame {@code idx} at {@code gpfn},
     * moving it from where it was, after growing the table to {@code idx + 1} frames if needed. Returns 0,
     * or -EINVAL for an index at or beyond {@code max_grant_frames} (or a table that cannot grow, or a
     * dead one), or what mapping the page returns.
     */
    public long mapFrame(long idx, long gpfn) {
        lock.lock();
        try {
            if (dead || idx < 0 || idx >= maxFrames) {
                return -org.hvsim.hv.abi.Errno.EINVAL;
            }
            if (idx >= nrFrames && grow((int) idx + 1) != GntSt.OKAY) {
                return -org.hvsim.hv.abi.Errno.EINVAL;
            }
            return memory.mapSharedPage(frameMfns[(int) idx], gpfn);
        } finally {
            lock.unlock();
        }
    }

    /** Mappings this domain holds of other domains' grants. */
    public int mappings() {
        return maptrack.live();
    }

    Maptrack maptrack() {
        return maptrack;
    }

    /**
     * Grows the table to at least {@code n} frames (Xen's {@code gnttab_grow_table}): each new frame is a
     * zeroed xen-heap page of the domain mapped at {@link #frameGfn}; frames {@code 0..n-1} that exist
     * already are mapped there again if the guest has unmapped them. Returns GNTST_okay, or
     * GNTST_general_error when {@code n} exceeds {@code max_grant_frames} or no frame can be had (the
     * frames added so far stay).
     */
    public int grow(int n) {
        if (n < 0 || n > maxFrames) {
            return GntSt.GENERAL_ERROR;
        }
        lock.lock();
        try {
            if (dead) {
                return GntSt.GENERAL_ERROR;
            }
            // Frames the guest unmapped (decrease_reservation on their GFNs) go back to their default GFNs.
            for (int i = 0; i < Math.min(n, nrFrames); i++) {
                if (memory.gpfnOfSharedPage(frameMfns[i]) == Page.INVALID_FRAME
                        && memory.mapSharedPage(frameMfns[i], frameGfn(i)) < 0) {
                    return GntSt.GENERAL_ERROR;
                }
            }
            while (nrFrames < n) {
                int i = nrFrames;
                long mfn = memory.allocateSharedPage();
                if (mfn < 0) {
                    return GntSt.GENERAL_ERROR;
                }
                if (memory.mapSharedPage(mfn, frameGfn(i)) < 0) {
                    return GntSt.GENERAL_ERROR; // the page stays the domain's xen-heap page until it dies
                }
                frames[i] = new SegmentGuestMemory(machine.frame(mfn), 0);
                frameMfns[i] = mfn;
                active = Arrays.copyOf(active, (i + 1) * GrantEntryV1.PER_FRAME);
                nrFrames = i + 1;
            }
            return GntSt.OKAY;
        } finally {
            lock.unlock();
        }
    }

    /** The entry {@code ref} as the guest has written it now (for inspection and tests). */
    public GrantEntryV1 entry(int ref) {
        checkRef(ref);
        return GrantEntryV1.decode(frames[GrantEntryV1.tableFrame(ref)].getLongAcquire(GrantEntryV1.offsetInFrame(ref)));
    }

    /** Read-only pins (mappings and copies in progress) on {@code ref}. */
    public int readPins(int ref) {
        return withActive(ref, a -> a.readPins);
    }

    /** Writable pins on {@code ref}. */
    public int writePins(int ref) {
        return withActive(ref, a -> a.writePins);
    }

    private int withActive(int ref, java.util.function.ToIntFunction<ActiveGrant> f) {
        lock.lock();
        try {
            checkRef(ref);
            ActiveGrant a = active[ref];
            return a == null ? 0 : f.applyAsInt(a);
        } finally {
            lock.unlock();
        }
    }

    private void checkRef(int ref) {
        if (ref < 0 || ref >= nrEntries()) {
            throw new IndexOutOfBoundsException("ref " + ref + " of d" + domid + " (" + nrEntries() + " entries)");
        }
    }

    /**
     * Pins {@code ref} for {@code grantee}, read-only or writable, for a mapping or a copy (Xen's
     * {@code map_grant_ref} and {@code acquire_grant_for_copy}). The first pin, and the first writable
     * one, check the guest's entry: it must be GTF_permit_access for {@code grantee}, and not
     * GTF_readonly for a writable pin (else GNTST_general_error); then GTF_reading, and GTF_writing for
     * a writable pin, are set in it. The first pin also takes the frame: the GFN in the entry must be
     * a RAM page of this domain (else GNTST_bad_page). A pinned grant held by another domain, or one
     * whose counter is full, is GNTST_general_error; a ref beyond the table GNTST_bad_gntref; a dead
     * table GNTST_bad_domain.
     */
    PinResult pin(int ref, int grantee, boolean readonly) {
        lock.lock();
        try {
            if (dead) {
                return PinResult.failed(GntSt.BAD_DOMAIN);
            }
            if (ref < 0 || ref >= nrEntries()) {
                return PinResult.failed(GntSt.BAD_GNTREF);
            }
            ActiveGrant act = active[ref];
            if (act == null) {
                act = active[ref] = new ActiveGrant();
            }
            if (act.pins() > 0 && (act.domid != grantee || act.readPins >= ActiveGrant.MAX_PINS
                    || act.writePins >= ActiveGrant.MAX_PINS)) {
                return PinResult.failed(GntSt.GENERAL_ERROR);
            }
            boolean firstPin = act.pins() == 0;
            if (firstPin || (!readonly && act.writePins == 0)) {
                long frame = setStatus(ref, grantee, readonly);
                if (frame < 0) {
                    return PinResult.failed((int) frame);
                }
                if (firstPin) {
                    long mfn = memory.getGrantFrame(frame);
                    if (mfn < 0) {
                        clearFlags(ref, Gtf.READING | (readonly ? 0 : Gtf.WRITING));
                        return PinResult.failed(GntSt.BAD_PAGE);
                    }
                    act.domid = grantee;
                    act.gfn = frame;
                    act.mfn = mfn;
                }
            }
            if (readonly) {
                act.readPins++;
            } else {
                act.writePins++;
            }
            return new PinResult(GntSt.OKAY, act.mfn);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Xen's {@code _set_status_v1}: reads the entry once, checks it, and sets GTF_reading (and
     * GTF_writing) by compare-and-exchange against what it read. Returns the entry's frame, or a GNTST
     * status.
     */
    private long setStatus(int ref, int grantee, boolean readonly) {
        GuestMemory f = frames[GrantEntryV1.tableFrame(ref)];
        long at = GrantEntryV1.offsetInFrame(ref);
        int mask = Gtf.TYPE_MASK | (readonly ? 0 : Gtf.READONLY);
        for (int attempt = 0; attempt < SET_STATUS_RETRIES; attempt++) {
            GrantEntryV1 e = GrantEntryV1.decode(f.getLongAcquire(at));
            if (e.domid() != grantee || (e.flags() & mask) != Gtf.PERMIT_ACCESS) {
                return GntSt.GENERAL_ERROR;
            }
            int seen = GrantEntryV1.combo(e.flags(), e.domid());
            int set = GrantEntryV1.combo(e.flags() | Gtf.READING | (readonly ? 0 : Gtf.WRITING), e.domid());
            if (f.compareAndExchangeInt(at, seen, set) == seen) {
                return e.frame();
            }
        }
        return GntSt.GENERAL_ERROR;
    }

    private void clearFlags(int ref, int flags) {
        frames[GrantEntryV1.tableFrame(ref)].getAndBitwiseAndLong(GrantEntryV1.offsetInFrame(ref), ~(long) flags);
    }

    /**
     * Drops a pin {@link #pin} took. When the last writable pin goes GTF_writing is cleared, when the
     * last pin goes GTF_reading too and the frame's reference is dropped (freeing it if this domain has
     * released it). Once the table is dead the guest's entry is no longer touched.
     */
    void unpin(int ref, boolean readonly) {
        long put = -1;
        lock.lock();
        try {
            ActiveGrant act = active[ref];
            if (act == null || (readonly ? act.readPins : act.writePins) == 0) {
                throw new IllegalStateException("d" + domid + " ref " + ref + " has no " + (readonly ? "read" : "write") + " pin");
            }
            int clear = 0;
            if (readonly) {
                act.readPins--;
            } else if (--act.writePins == 0) {
                clear |= Gtf.WRITING;
            }
            if (act.pins() == 0) {
                clear |= Gtf.READING;
                put = act.mfn;
                act.mfn = -1;
            }
            if (clear != 0 && !dead) {
                clearFlags(ref, clear);
            }
        } finally {
            lock.unlock();
        }
        if (put >= 0) {
            memory.putGrantFrame(put);
        }
    }

    /** A copy by gmfn from or to this domain's own {@code gfn}: a reference on its RAM frame, or a negative errno. */
    long acquireOwnFrame(long gfn) {
        return memory.getGrantFrame(gfn);
    }

    void releaseOwnFrame(long mfn) {
        memory.putGrantFrame(mfn);
    }

    /** Total pins on every entry (for invariant checks). */
    public long totalPins() {
        lock.lock();
        try {
            long n = 0;
            for (ActiveGrant a : active) {
                if (a != null) {
                    n += a.pins();
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The domain is dying (Xen's {@code gnttab_release_mappings}, then the table waits for its last
     * foreign pin): its mappings of others' grants are unmapped, its table stops taking pins, and its
     * entries are no longer written. Idempotent.
     */
    public void destroy() {
        List<MaptrackEntry> held = maptrack.closeAndTakeAll();
        for (MaptrackEntry e : held) {
            e.granter().unpin(e.ref(), e.readonly());
        }
        lock.lock();
        try {
            dead = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "d" + domid + " grant table (" + nrFrames + "/" + maxFrames + " frames)";
    }
}
