package org.hvsim.domu.gnttab;

import java.util.Arrays;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GrantEntryV1;
import org.hvsim.hv.abi.gnttab.Gtf;

/**
 * This domain's side of its grant table (v1). The table is set up on first use, not at boot (a guest
 * without devices never asks), and grown a frame at a time with {@code GNTTABOP_setup_table} when the
 * free refs run out, up to {@link #MAX_FRAMES} or the domain's {@code max_grant_frames}, whichever the
 * hypervisor stops at first. Refs {@code 0..7} are reserved ({@code GNTTAB_NR_RESERVED_ENTRIES}: the
 * console and xenstore rings) and never handed out.
 *
 * <p>Granting writes the grantee's domid and the frame, then, after a release fence, the flags, so the
 * hypervisor never sees a valid type with stale fields. Ending access clears the flags by
 * compare-and-exchange only while neither GTF_reading nor GTF_writing is set, and gives the ref back
 * to the free list only then; a busy ref stays granted (the caller tries again once the other side has
 * unmapped).
 *
 * <p>Threads: any vCPU; the free list and growth are synchronized, each ref's entry is written only by
 * whoever holds the ref.
 */
public final class GrantTable {
    /** The most frames this driver grows to (Xen's default {@code gnttab_max_frames}). */
    public static final int MAX_FRAMES = 64;
    /** Tries of the end-access compare-and-exchange while the hypervisor changes the flags. */
    private static final int END_ACCESS_TRIES = 64;

    private final GuestMemory memory;
    private long[] frames = new long[0];
    private int[] free = new int[0];
    private int freeCount;

    public GrantTable(GuestMemory memory) {
        this.memory = memory;
    }

    /**
     * Grants domain {@code domid} access to frame {@code gfn}, read-only or writable, and returns the ref
     * to hand it. Grows the table first if no ref is free (a hypercall on {@code cpu}).
     *
     * @throws GrantTableException when the table cannot grow
     */
    public int grantAccess(PerCpu cpu, int domid, long gfn, boolean readonly) {
        if (gfn < 0 || gfn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a v1 grant holds a 32-bit frame number, not " + gfn);
        }
        int ref = allocate(cpu);
        long at = entryAddress(ref);
        memory.putShort(at + GrantEntryV1.DOMID, (short) domid);
        memory.putInt(at + GrantEntryV1.FRAME, (int) gfn);
        memory.putShortRelease(at + GrantEntryV1.FLAGS, (short) (Gtf.PERMIT_ACCESS | (readonly ? Gtf.READONLY : 0)));
        return ref;
    }

    /**
     * Ends the grant {@code ref}: true when it is revoked and free again, false while the grantee still
     * has it mapped or is copying (nothing changes; try again later).
     */
    public boolean endAccess(int ref) {
        long at = entryAddress(checkedRef(ref));
        for (int i = 0; i < END_ACCESS_TRIES; i++) {
            int combo = memory.getIntAcquire(at);
            if ((GrantEntryV1.comboFlags(combo) & (Gtf.READING | Gtf.WRITING)) != 0) {
                return false;
            }
            if (memory.compareAndExchangeInt(at, combo, GrantEntryV1.combo(0, GrantEntryV1.comboDomid(combo))) == combo) {
                release(ref);
                return true;
            }
        }
        return false;
    }

    /** The GTF_* flags of {@code ref} now. */
    public int flags(int ref) {
        return memory.getUnsignedShort(entryAddress(checkedRef(ref)) + GrantEntryV1.FLAGS);
    }

    /** Table frames set up so far. */
    public synchronized int nrFrames() {
        return frames.length;
    }

    /** Refs free to grant. */
    public synchronized int freeRefs() {
        return freeCount;
    }

    private synchronized int allocate(PerCpu cpu) {
        if (freeCount == 0) {
            grow(cpu);
        }
        return free[--freeCount];
    }

    private synchronized void release(int ref) {
        free[freeCount++] = ref;
    }

    /** Adds one frame: its refs (all but the reserved ones of frame 0) go on the free list. */
    private void grow(PerCpu cpu) {
        int n = frames.length + 1;
        if (n > MAX_FRAMES) {
            throw new GrantTableException("grant table full: " + frames.length + " frames");
        }
        long[] gfns = new long[n];
        int status = cpu.hypercalls().gnttabSetupTable(gfns);
        if (status != GntSt.OKAY) {
            throw GrantTableException.status("GNTTABOP_setup_table to " + n + " frames", status);
        }
        int first = frames.length == 0 ? GntTabOp.NR_RESERVED_ENTRIES : frames.length * GrantEntryV1.PER_FRAME;
        int last = n * GrantEntryV1.PER_FRAME;
        frames = gfns;
        free = Arrays.copyOf(free, last);
        for (int ref = last - 1; ref >= first; ref--) {
            free[freeCount++] = ref;
        }
    }

    private synchronized int checkedRef(int ref) {
        if (ref < GntTabOp.NR_RESERVED_ENTRIES || ref >= frames.length * GrantEntryV1.PER_FRAME) {
            throw new IllegalArgumentException("ref " + ref + " is not one this driver hands out");
        }
        return ref;
    }

    private synchronized long entryAddress(int ref) {
        return Page.addressOf(frames[GrantEntryV1.tableFrame(ref)]) + GrantEntryV1.offsetInFrame(ref);
    }
}
