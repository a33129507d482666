package org.hvsim.hv.gnttab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A mapping domain's table of grant handles (Xen's maptrack), bounded by {@code max_maptrack_frames}
 * frames of 256 entries. A handle is reserved before the grant is pinned, filled in after, and claimed
 * whole by the one unmap that removes it, so two unmaps of one handle cannot both succeed.
 *
 * <p>Threads: any; every method is synchronized.
 */
final class Maptrack {
    /** {@code struct grant_mapping} is 16 bytes: 256 to a frame. */
    static final int ENTRIES_PER_FRAME = 4096 / 16;
    private static final Object RESERVED = new Object();

    private final int limit;
    private Object[] slots = new Object[16];
    private int used;
    private int[] free = new int[16];
    private int freeCount;
    private int live;
    private boolean closed;

    Maptrack(int maxFrames) {
        this.limit = (int) Math.min(Integer.MAX_VALUE, (long) maxFrames * ENTRIES_PER_FRAME);
    }

    /** The most handles this domain can hold. */
    int limit() {
        return limit;
    }

    /** Mappings currently held. */
    synchronized int live() {
        return live;
    }

    /** Reserves a handle; -1 when every handle is in use or the domain is gone. */
    synchronized int reserve() {
        if (closed) {
            return -1;
        }
        int h;
        if (freeCount > 0) {
            h = free[--freeCount];
        } else if (used < limit) {
            if (used == slots.length) {
                slots = Arrays.copyOf(slots, (int) Math.min(limit, 2L * slots.length));
            }
            h = used++;
        } else {
            return -1;
        }
        slots[h] = RESERVED;
        return h;
    }

    /** Fills reserved handle {@code h}; false if the domain's mappings were released meanwhile (the caller undoes). */
    synchronized boolean fill(int h, MaptrackEntry e) {
        if (closed) {
            release(h);
            return false;
        }
        slots[h] = e;
        live++;
        return true;
    }

    /** Takes the mapping behind {@code h} for unmapping, leaving the handle reserved; null if no mapping. */
    synchronized MaptrackEntry claim(int h) {
        if (h < 0 || h >= used || !(slots[h] instanceof MaptrackEntry e)) {
            return null;
        }
        slots[h] = RESERVED;
        live--;
        return e;
    }

    /**
     * Checks an unmap of {@code h} before claiming it: GNTST_bad_handle if no mapping is behind it,
     * GNTST_general_error if {@code devBusAddr} is neither 0 nor the machine address it maps (Xen's
     * "Bus address doesn't match gntref").
     */
    synchronized int check(int h, long devBusAddr) {
        if (h < 0 || h >= used || !(slots[h] instanceof MaptrackEntry e)) {
            return org.hvsim.hv.abi.gnttab.GntSt.BAD_HANDLE;
        }
        return devBusAddr == 0 || devBusAddr == e.machineAddress() ? 0 : org.hvsim.hv.abi.gnttab.GntSt.GENERAL_ERROR;
    }

    /** Frees a reserved handle. */
    synchronized void release(int h) {
        if (slots[h] != RESERVED) {
            throw new IllegalStateException("handle " + h + " is not reserved");
        }
        slots[h] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, 2 * free.length);
        }
        free[freeCount++] = h;
    }

    /** The domain is dying: closes the table and returns every mapping it held, for the caller to unpin. */
    synchronized List<MaptrackEntry> closeAndTakeAll() {
        closed = true;
        List<MaptrackEntry> out = new ArrayList<>();
        for (int h = 0; h < used; h++) {
            if (slots[h] instanceof MaptrackEntry e) {
                out.add(e);
                slots[h] = null;
                live--;
            }
        }
        return out;
    }
}
