package org.hvsim.hv.gnttab;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabCopy;
import org.hvsim.hv.abi.gnttab.GnttabMapGrantRef;
import org.hvsim.hv.abi.gnttab.GnttabQuerySize;
import org.hvsim.hv.abi.gnttab.GnttabSetupTable;
import org.hvsim.hv.abi.gnttab.GnttabUnmapGrantRef;
import org.hvsim.hv.memory.MachineMemory;

/**
 * The {@code grant_table_op(cmd, uop, count)} hypercall (20): the one place a guest's grant table
 * arguments enter the hypervisor (Xen's {@code do_grant_table_op}). Results are 0 or a negated Xen
 * errno for the call as a whole; each operation of an array gets its own GNTST status.
 *
 * <p>Each structure is copied out of the caller's memory whole, once, then acted on, then its OUT
 * fields written back; a fault on either is -EFAULT for the call, the operations before it staying
 * done, as in Xen. The array must be accessible as a whole first (Xen's {@code guest_handle_okay}).
 * Xen takes any count and continues long arrays with hypercall continuations; hvsim runs at most
 * {@link #MAX_OPS} operations per call, with a preemption point between operations, and refuses a
 * larger count with -E2BIG before doing anything. setup_table and query_size take count 1 (-EINVAL
 * otherwise); setup_table's frame list must be writable as a whole (-EFAULT). A cmd with bits above
 * {@link GntTabOp#CMD_MASK} is -EINVAL. hvsim implements v1 only: set_version accepts 1, get_version
 * says 1; transfer, dump_table, unmap_and_replace, the v2 operations and cache_flush are -ENOSYS.
 *
 * <p>Xen gives a new domain one table frame at creation; hvsim allocates frames at the first
 * setup_table, so query_size says 0 frames until then.
 *
 * <p>hvsim maps no page tables for grants: {@code host_addr} is ignored, and map returns the granted
 * frame's machine address in {@code dev_bus_addr} for every mapping (as Xen does), which dom0 reads
 * and writes in machine memory. Xen's unmap undoes only the parts it is given addresses for (host_addr
 * for a host mapping, dev_bus_addr for a device mapping; with neither it does nothing and says okay);
 * hvsim's unmap removes the whole mapping, checking dev_bus_addr when it is not 0. Each mapping holds
 * one pin, read-only or writable, whichever of GNTMAP_host_map and GNTMAP_device_map it has.
 *
 * <p>Threads: any vCPU thread, or dom0's privcmd threads; calls run concurrently.
 */
public final class GrantTableOps {
    /** The most operations one call runs (hvsim's bound; Xen uses continuations). */
    public static final long MAX_OPS = GntTabOp.MAX_OPS_PER_CALL;

    private final GrantDomainLookup domains;
    private final MachineMemory machine;

    public GrantTableOps(GrantDomainLookup domains, MachineMemory machine) {
        this.domains = Objects.requireNonNull(domains, "domains");
        this.machine = Objects.requireNonNull(machine, "machine");
    }

    /**
     * {@code HYPERVISOR_grant_table_op(cmd, uop, count)} made by {@code caller}; {@code uop} is in
     * {@code m}. {@code preemptionPoint} runs between operations of an array.
     */
    public long op(GrantDomain caller, long cmd, GuestMemory m, long uop, long count, Runnable preemptionPoint) {
        int c = (int) count;
        if (c < 0) {
            return -Errno.EINVAL;
        }
        if ((cmd & ~(long) GntTabOp.CMD_MASK & 0xFFFF_FFFFL) != 0) {
            return -Errno.EINVAL;
        }
        if (c > MAX_OPS) {
            return -Errno.E2BIG;
        }
        int op = (int) (cmd & GntTabOp.CMD_MASK);
        return switch (op) {
            case GntTabOp.MAP_GRANT_REF -> each(m, uop, c, GnttabMapGrantRef.SIZE, preemptionPoint,
                    at -> map(caller, m, at));
            case GntTabOp.UNMAP_GRANT_REF -> each(m, uop, c, GnttabUnmapGrantRef.SIZE, preemptionPoint,
                    at -> unmap(caller, m, at));
            case GntTabOp.COPY -> each(m, uop, c, GnttabCopy.SIZE, preemptionPoint, at -> copy(caller, m, at));
            case GntTabOp.SETUP_TABLE -> c != 1 ? -Errno.EINVAL : setupTable(caller, m, uop);
            case GntTabOp.QUERY_SIZE -> c != 1 ? -Errno.EINVAL : querySize(caller, m, uop);
            case GntTabOp.SET_VERSION -> setVersion(m, uop);
            case GntTabOp.GET_VERSION -> getVersion(caller, m, uop);
            default -> -Errno.ENOSYS;
        };
    }

    @FunctionalInterface
    private interface OneOp {
        void run(long address);
    }

    private static long each(GuestMemory m, long uop, int count, int size, Runnable preemptionPoint, OneOp op) {
        if (count == 0) {
            return 0;
        }
        if (!m.isAccessible(uop, (long) count * size)) {
            return -Errno.EFAULT;
        }
        try {
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    preemptionPoint.run();
                }
                op.run(uop + (long) i * size);
            }
            return 0;
        } catch (GuestMemoryFault fault) {
            return -Errno.EFAULT;
        }
    }

    /** The domain {@code domid} names for {@code caller}: itself for DOMID_SELF, else a real, live domain, or null. */
    private GrantDomain resolve(GrantDomain caller, int domid, boolean selfAllowed) {
        if (domid == DomId.SELF && selfAllowed) {
            return caller;
        }
        if (!DomId.isReal(domid)) {
            return null;
        }
        GrantDomain d = domains.find(domid);
        return d == null || d.isDying() ? null : d;
    }

    // ---- map and unmap ----

    private void map(GrantDomain caller, GuestMemory m, long at) {
        GnttabMapGrantRef op = GnttabMapGrantRef.read(m, at);
        int status;
        int handle = 0;
        long devBusAddr = 0;
        if ((op.flags() & (GntTabOp.GNTMAP_DEVICE_MAP | GntTabOp.GNTMAP_HOST_MAP)) == 0) {
            status = GntSt.BAD_GNTREF;
        } else {
            GrantDomain rd = resolve(caller, op.dom(), false);
            if (rd == null) {
                status = GntSt.BAD_DOMAIN;
            } else {
                Maptrack maptrack = caller.grantTable().maptrack();
                int h = maptrack.reserve();
                if (h < 0) {
                    status = GntSt.NO_SPACE;
                } else {
                    boolean readonly = (op.flags() & GntTabOp.GNTMAP_READONLY) != 0;
                    GrantTable rgt = rd.grantTable();
                    PinResult pin = rgt.pin(op.ref(), caller.domid(), readonly);
                    status = pin.status();
                    if (!pin.ok()) {
                        maptrack.release(h);
                    } else if (!maptrack.fill(h, new MaptrackEntry(rgt, op.ref(), op.flags() & 0x1F, pin.mfn()))) {
                        rgt.unpin(op.ref(), readonly); // the caller is dying: its mappings are gone
                        status = GntSt.BAD_DOMAIN;
                    } else {
                        handle = h;
                        devBusAddr = Page.addressOf(pin.mfn());
                    }
                }
            }
        }
        GnttabMapGrantRef.writeResult(m, at, status, handle, devBusAddr);
    }

    private void unmap(GrantDomain caller, GuestMemory m, long at) {
        GnttabUnmapGrantRef op = GnttabUnmapGrantRef.read(m, at);
        Maptrack maptrack = caller.grantTable().maptrack();
        int status = maptrack.check(op.handle(), op.devBusAddr());
        if (status == GntSt.OKAY) {
            MaptrackEntry e = maptrack.claim(op.handle());
            if (e == null) {
                status = GntSt.BAD_HANDLE; // another unmap of the same handle won
            } else {
                e.granter().unpin(e.ref(), e.readonly());
                maptrack.release(op.handle());
            }
        }
        GnttabUnmapGrantRef.writeStatus(m, at, status);
    }

    // ---- copy ----

    private void copy(GrantDomain caller, GuestMemory m, long at) {
        GnttabCopy op = GnttabCopy.read(m, at);
        GnttabCopy.writeStatus(m, at, copy(caller, op));
    }

    /**
     * Xen's {@code gnttab_copy_one}, in its order: each side's domain (a frame number only for
     * DOMID_SELF: GNTST_permission_denied; no such live domain: GNTST_bad_domain), then each side's
     * grant or frame (as a map would check it, read-only for the source), then the offsets (crossing a
     * page: GNTST_bad_copy_arg). Returns the GNTST status.
     */
    int copy(GrantDomain caller, GnttabCopy op) {
        boolean srcGref = (op.flags() & GntTabOp.GNTCOPY_SOURCE_GREF) != 0;
        boolean dstGref = (op.flags() & GntTabOp.GNTCOPY_DEST_GREF) != 0;
        if (op.source().domid() != DomId.SELF && !srcGref) {
            return GntSt.PERMISSION_DENIED;
        }
        GrantDomain sd = resolve(caller, op.source().domid(), true);
        if (sd == null) {
            return GntSt.BAD_DOMAIN;
        }
        if (op.dest().domid() != DomId.SELF && !dstGref) {
            return GntSt.PERMISSION_DENIED;
        }
        GrantDomain dd = resolve(caller, op.dest().domid(), true);
        if (dd == null) {
            return GntSt.BAD_DOMAIN;
        }
        Held src = acquire(caller, sd, op.source(), srcGref, true);
        if (src.status != GntSt.OKAY) {
            return src.status;
        }
        try {
            Held dst = acquire(caller, dd, op.dest(), dstGref, false);
            if (dst.status != GntSt.OKAY) {
                return dst.status;
            }
            try {
                if (op.source().offset() + op.len() > Page.SIZE || op.dest().offset() + op.len() > Page.SIZE) {
                    return GntSt.BAD_COPY_ARG;
                }
                MemorySegment.copy(machine.frame(src.mfn), op.source().offset(), machine.frame(dst.mfn),
                        op.dest().offset(), op.len());
                return GntSt.OKAY;
            } finally {
                dst.release(caller);
            }
        } finally {
            src.release(caller);
        }
    }

    /** One side of a copy, held: a pinned grant, or a reference on the caller's own frame. */
    private record Held(int status, long mfn, GrantTable table, int ref, boolean readonly) {
        void release(GrantDomain caller) {
            if (table != null) {
                table.unpin(ref, readonly);
            } else {
                caller.grantTable().releaseOwnFrame(mfn);
            }
        }
    }

    private static Held acquire(GrantDomain caller, GrantDomain d, GnttabCopy.Ptr p, boolean gref, boolean readonly) {
        if (gref) {
            GrantTable t = d.grantTable();
            PinResult pin = t.pin(p.ref(), caller.domid(), readonly);
            return new Held(pin.status(), pin.mfn(), t, p.ref(), readonly);
        }
        long mfn = caller.grantTable().acquireOwnFrame(p.u());
        return mfn < 0 ? new Held(GntSt.BAD_PAGE, -1, null, 0, readonly) : new Held(GntSt.OKAY, mfn, null, 0, readonly);
    }

    // ---- table size and version ----

    private long setupTable(GrantDomain caller, GuestMemory m, long uop) {
        GnttabSetupTable op;
        try {
            op = GnttabSetupTable.read(m, uop);
        } catch (GuestMemoryFault fault) {
            return -Errno.EFAULT;
        }
        if (!m.isAccessible(op.frameList(), 8L * Integer.toUnsignedLong(op.nrFrames()))) {
            return -Errno.EFAULT; // Xen's guest_handle_okay on the frame list, before anything else
        }
        int status;
        GrantDomain d = resolve(caller, op.dom(), true);
        if (d == null) {
            status = GntSt.BAD_DOMAIN;
        } else if (d != caller && !caller.isPrivileged()) {
            status = GntSt.PERMISSION_DENIED;
        } else {
            GrantTable t = d.grantTable();
            int n = op.nrFrames();
            status = Integer.compareUnsigned(n, t.maxFrames()) > 0 ? GntSt.GENERAL_ERROR : t.grow(n);
            if (status == GntSt.OKAY) {
                try {
                    for (int i = 0; i < n; i++) {
                        m.putLong(op.frameList() + 8L * i, t.currentGfn(i));
                    }
                } catch (GuestMemoryFault fault) {
                    status = GntSt.BAD_VIRT_ADDR;
                }
            }
        }
        try {
            GnttabSetupTable.writeStatus(m, uop, status);
            return 0;
        } catch (GuestMemoryFault fault) {
            return -Errno.EFAULT;
        }
    }

    private long querySize(GrantDomain caller, GuestMemory m, long uop) {
        GnttabQuerySize op;
        try {
            op = GnttabQuerySize.read(m, uop);
        } catch (GuestMemoryFault fault) {
            return -Errno.EFAULT;
        }
        GrantDomain d = resolve(caller, op.dom(), true);
        GnttabQuerySize out;
        if (d == null) {
            out = new GnttabQuerySize(op.dom(), op.nrFrames(), op.maxNrFrames(), GntSt.BAD_DOMAIN);
        } else if (d != caller && !caller.isPrivileged()) {
            out = new GnttabQuerySize(op.dom(), op.nrFrames(), op.maxNrFrames(), GntSt.PERMISSION_DENIED);
        } else {
            out = new GnttabQuerySize(op.dom(), d.grantTable().nrFrames(), d.grantTable().maxFrames(), GntSt.OKAY);
        }
        try {
            out.write(m, uop);
            return 0;
        } catch (GuestMemoryFault fault) {
            return -Errno.EFAULT;
        }
    }

    /**
     * {@code struct gnttab_set_version { u32 version; }}: hvsim behaves as Xen with {@code gnttab=max-ver:1}:
     * version 1 is fine, 2 is -ENOSYS, anything else -EINVAL; the version in force (1) is written back.
     */
    private static long setVersion(GuestMemory m, long uop) {
        try {
            int v = m.getInt(uop);
            m.putInt(uop, 1);
            return v == 1 ? 0 : v == 2 ? -Errno.ENOSYS : -Errno.EINVAL;
        } catch (GuestMemoryFault fault) {
            return -Errno.EFAULT;
        }
    }

    /** {@code struct gnttab_get_version { u16 dom; u16 pad; u32 version; }}. */
    private long getVersion(GrantDomain caller, GuestMemory m, long uop) {
        try {
            int dom = m.getUnsignedShort(uop);
            GrantDomain d = resolve(caller, dom, true);
            if (d == null) {
                return -Errno.ESRCH;
            }
            if (d != caller && !caller.isPrivileged()) {
                return -Errno.EPERM;
            }
            m.putInt(uop + 4, 1);
            return 0;
        } catch (GuestMemoryFault fault) {
            return -Errno.EFAULT;
        }
    }
}
