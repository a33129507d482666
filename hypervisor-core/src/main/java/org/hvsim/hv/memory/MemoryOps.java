package org.hvsim.hv.memory;

import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.XenMem;
import org.hvsim.hv.abi.memory.MmuUpdate;
import org.hvsim.hv.abi.memory.XenMemFlags;
import org.hvsim.hv.abi.memory.XenAddToPhysmap;
import org.hvsim.hv.abi.memory.XenMemoryReservation;

/**
 * The {@code memory_op} (12) and {@code mmu_update} (1) hypercalls, following Xen's
 * {@code common/memory.c} and {@code arch/x86/mm.c}. Arguments are read from the caller's memory once,
 * one structure or extent at a time, and never under the memory lock, so a guest-facing argument memory
 * may preempt the vCPU at each read. Every loop ends at its first failure and is bounded by the guest's
 * own memory (its extent list or request array must be accessible) and by its {@code max_pages}.
 *
 * <p>Xen cuts long calls into continuations; here the argument memory's {@link PreemptionHook} gives the
 * same fairness, and a continuation start encoded in {@code cmd} (or {@code MMU_UPDATE_PREEMPTED} in
 * {@code count}) is honoured as Xen does.
 *
 * <p>Threads: any vCPU or privcmd thread; stateless apart from the host it serves.
 */
public final class MemoryOps {
    /** {@code CONFIG_DOMU_MAX_ORDER} on x86: the largest extent an unprivileged caller may ask for. */
    public static final int DOMU_MAX_ORDER = 9;
    /** {@code CONFIG_CTLDOM_MAX_ORDER} (= {@code CONFIG_PAGEALLOC_MAX_ORDER}): for a control domain. */
    public static final int CTLDOM_MAX_ORDER = FrameAllocator.MAX_ORDER;

    private final HostMemory host;
    private final MemoryDomainLookup domains;
    private final PteUpdater pteUpdater;

    public MemoryOps(HostMemory host, MemoryDomainLookup domains) {
        this.host = host;
        this.domains = domains;
        this.pteUpdater = new PteUpdater(host);
    }

    /**
     * {@code memory_op(cmd, arg)}. {@code cmd} holds the {@code XENMEM_*} op in its low 6 bits and, for
     * the reservation ops, the extent to start at in the rest (unsigned). Returns the extents done for
     * the reservation ops, a page count for the reservation queries, or a negative Xen errno.
     *
     * <p>As in Xen, the reservation ops report an unknown target domain as "start_extent extents done"
     * and a target the caller may not act on as -EPERM (the XSM check's error). The
     * {@code XENMEMF_address_bits} limit is not applied: no simulated device addresses machine memory.
     */
    public long op(MemoryDomain caller, int cmd, GuestMemory argMemory, long argAddress) {
        int op = cmd & XenMem.CMD_MASK;
        long startExtent = Integer.toUnsignedLong(cmd) >>> XenMem.CMD_MASK_BITS;
        return switch (op) {
            case XenMem.INCREASE_RESERVATION, XenMem.DECREASE_RESERVATION, XenMem.POPULATE_PHYSMAP ->
                    reservation(caller, op, startExtent, argMemory, argAddress);
            case XenMem.CURRENT_RESERVATION, XenMem.MAXIMUM_RESERVATION, XenMem.MAXIMUM_GPFN ->
                    startExtent != 0 ? -Errno.EINVAL : query(caller, op, argMemory, argAddress);
            case XenMem.MAXIMUM_RAM_PAGE -> startExtent != 0 ? -Errno.EINVAL : host.machine.frames();
            case XenMem.ADD_TO_PHYSMAP -> startExtent != 0 ? -Errno.EINVAL : addToPhysmap(caller, argMemory, argAddress);
            default -> -Errno.ENOSYS;
        };
    }

    /**
     * XENMEM_add_to_physmap. hvsim implements the shared_info space (idx 0: the domain's shared_info
     * page) and the grant_table space (idx: a frame of the domain's grant table); gmfn, gmfn_range and gmfn_foreign are
     * -EOPNOTSUPP here (hvsim moves RAM with MMU_MACHPHYS_UPDATE), dev_mmio is for HVM: -EOPNOTSUPP.
     */
    private long addToPhysmap(MemoryDomain caller, GuestMemory mem, long arg) {
        XenAddToPhysmap x;
        try {
            x = XenAddToPhysmap.readFrom(mem, arg);
        } catch (GuestMemoryFault e) {
            return -Errno.EFAULT;
        }
        MemoryDomain target = resolve(caller, x.domid());
        if (target == null) {
            return -Errno.ESRCH;
        }
        if (!mayControl(caller, target)) {
            return -Errno.EPERM;
        }
        return switch (x.space()) {
            case XenAddToPhysmap.SPACE_SHARED_INFO -> {
                long mfn = target.sharedInfoFrame();
                yield x.idx() != 0 || mfn < 0 ? -Errno.EINVAL : target.memory().mapSharedPage(mfn, x.gpfn());
            }
            case XenAddToPhysmap.SPACE_GRANT_TABLE -> target.mapGrantFrame(x.idx(), x.gpfn());
            case XenAddToPhysmap.SPACE_GMFN, XenAddToPhysmap.SPACE_GMFN_RANGE, XenAddToPhysmap.SPACE_GMFN_FOREIGN,
                    XenAddToPhysmap.SPACE_DEV_MMIO -> -Errno.EOPNOTSUPP;
            default -> -Errno.EINVAL;
        };
    }

    private long reservation(MemoryDomain caller, int op, long startExtent, GuestMemory mem, long arg) {
        XenMemoryReservation r;
        try {
            r = XenMemoryReservation.readFrom(mem, arg);
        } catch (GuestMemoryFault e) {
            return startExtent;
        }
        // Xen: too many extents to encode a continuation, or nothing left to do: report where we are.
        if (Long.compareUnsigned(r.nrExtents(), 0xFFFF_FFFFL >>> XenMem.CMD_MASK_BITS) > 0
                || startExtent >= r.nrExtents()) {
            return startExtent;
        }
        MemoryDomain target = resolve(caller, r.domid());
        if (target == null) {
            return startExtent;
        }
        if (!mayControl(caller, target)) {
            return -Errno.EPERM;
        }
        long nr = r.nrExtents();
        boolean nullList = r.extentStart() == 0 && op == XenMem.INCREASE_RESERVATION;
        if (!nullList && !mem.isAccessible(r.extentStart() + startExtent * XenMemoryReservation.EXTENT_SIZE,
                (nr - startExtent) * XenMemoryReservation.EXTENT_SIZE)) {
            return startExtent;
        }
        if (Integer.toUnsignedLong(r.extentOrder()) > maxOrder(caller)) {
            return startExtent;
        }
        // Populate-on-demand is an HVM feature; a PV domain's request does nothing, as in Xen.
        if (op == XenMem.POPULATE_PHYSMAP && (r.memFlags() & XenMemFlags.POPULATE_ON_DEMAND) != 0) {
            return startExtent;
        }
        int order = r.extentOrder();
        DomainMemory memory = target.memory();
        long i = startExtent;
        try {
            for (; i < nr; i++) {
                long slot = r.extentStart() + i * XenMemoryReservation.EXTENT_SIZE;
                if (!doExtent(op, target, memory, order, mem, slot, nullList)) {
                    break;
                }
            }
        } catch (GuestMemoryFault e) {
            // Xen: a fault on the extent list ends the call; extents before it are done.
        }
        return i;
    }

    /** One extent; false if it could not be done. Throws GuestMemoryFault on the list, ending the call. */
    private static boolean doExtent(int op, MemoryDomain target, DomainMemory memory, int order,
                                    GuestMemory mem, long slot, boolean nullList) {
        switch (op) {
            case XenMem.INCREASE_RESERVATION -> {
                long mfn = target.isDying() ? -Errno.EINVAL : memory.increaseReservation(order);
                if (mfn < 0) {
                    return false;
                }
                if (!nullList) {
                    mem.putLong(slot, mfn);
                }
                return true;
            }
            case XenMem.POPULATE_PHYSMAP -> {
                long gpfn = mem.getLong(slot);
                long mfn = target.isDying() ? -Errno.EINVAL : memory.populatePhysmap(gpfn, order);
                if (mfn < 0) {
                    return false;
                }
                mem.putLong(slot, mfn);
                return true;
            }
            default -> {
                return memory.decreaseReservation(mem.getLong(slot), order) == 0;
            }
        }
    }

    private long query(MemoryDomain caller, int op, GuestMemory mem, long arg) {
        int domid;
        try {
            domid = mem.getUnsignedShort(arg);
        } catch (GuestMemoryFault e) {
            return -Errno.EFAULT;
        }
        MemoryDomain target = resolve(caller, domid);
        if (target == null) {
            return -Errno.ESRCH;
        }
        if (!mayControl(caller, target)) {
            return -Errno.EPERM;
        }
        DomainMemory memory = target.memory();
        return switch (op) {
            case XenMem.CURRENT_RESERVATION -> memory.totPages();
            case XenMem.MAXIMUM_RESERVATION -> memory.maxPages();
            default -> memory.maximumGpfn();
        };
    }

    /**
     * {@code mmu_update(reqs, count, pdone, foreigndom)}: applies {@code count} requests of 16 bytes from
     * {@code reqs}, stopping at the first failure, whose errno it returns (0 if all succeed). The number
     * done is added to the 32-bit counter at {@code successCountAddress} unless it is 0 (a null handle).
     * Low 16 bits of {@code foreigndom}: owner of the frames mapped (DOMID_SELF: the caller); high 16
     * bits, if set: 1 + owner of the page tables.
     */
    public long mmuUpdate(MemoryDomain caller, GuestMemory argMemory, long reqs, int count,
                          long successCountAddress, int foreigndom) {
        long total = count;
        long done = 0;
        if ((count & MmuUpdate.MMU_UPDATE_PREEMPTED) != 0) {
            total = count & ~MmuUpdate.MMU_UPDATE_PREEMPTED;
            if (successCountAddress != 0) {
                try {
                    done = argMemory.getUnsignedInt(successCountAddress);
                } catch (GuestMemoryFault e) {
                    done = 0;
                }
            }
        }
        if (!argMemory.isAccessible(reqs, total * MmuUpdate.SIZE)) {
            return -Errno.EFAULT;
        }
        MemoryDomain ptOwner = caller;
        int ptDom = foreigndom >>> 16;
        if (ptDom != 0) {
            ptOwner = ptDom - 1 == caller.domid() ? caller : domains.find(ptDom - 1);
            if (ptOwner == null) {
                return -Errno.ESRCH;
            }
        }
        int pgOwnerId = foreigndom & 0xFFFF;
        MemoryDomain pgOwner = pgOwnerId == DomId.XEN || pgOwnerId == DomId.IO ? null : resolve(caller, pgOwnerId);
        long rc = 0;
        long i = 0;
        if (pgOwner == null && pgOwnerId != DomId.XEN && pgOwnerId != DomId.IO) {
            rc = -Errno.ESRCH;
        } else {
            for (; i < total; i++) {
                MmuUpdate req;
                try {
                    req = MmuUpdate.readFrom(argMemory, reqs, i);
                } catch (GuestMemoryFault e) {
                    rc = -Errno.EFAULT;
                    break;
                }
                rc = request(caller, ptOwner, pgOwner, pgOwnerId, req);
                if (rc != 0) {
                    break;
                }
            }
        }
        if (successCountAddress != 0) {
            try {
                argMemory.putInt(successCountAddress, (int) (done + i));
            } catch (GuestMemoryFault e) {
                // Xen ignores a failure to report progress.
            }
        }
        return rc;
    }

    private long request(MemoryDomain caller, MemoryDomain ptOwner, MemoryDomain pgOwner, int pgOwnerId, MmuUpdate req) {
        switch (req.command()) {
            case MmuUpdate.MMU_NORMAL_PT_UPDATE, MmuUpdate.MMU_PT_UPDATE_PRESERVE_AD, MmuUpdate.MMU_PT_UPDATE_NO_TRANSLATE -> {
                boolean pgAllowed = pgOwnerId == DomId.IO || (pgOwner == null ? caller.isPrivileged() : mayControl(caller, pgOwner));
                if (!pgAllowed || !mayControl(caller, ptOwner)) {
                    return -Errno.EPERM;
                }
                int owner = pgOwner == null ? pgOwnerId : pgOwner.domid();
                return pteUpdater.update(ptOwner.memory(), req.machineAddress(), req.val(), owner,
                        req.command() == MmuUpdate.MMU_PT_UPDATE_PRESERVE_AD);
            }
            case MmuUpdate.MMU_MACHPHYS_UPDATE -> {
                if (ptOwner != caller) {
                    return -Errno.EPERM;
                }
                if (pgOwner == null) {
                    return pgOwnerId == DomId.IO || caller.isPrivileged() ? -Errno.EINVAL : -Errno.EPERM;
                }
                if (!mayControl(caller, pgOwner)) {
                    return -Errno.EPERM;
                }
                long gpfn = req.val() == -1L ? Page.INVALID_FRAME : req.val();
                return pteUpdater.setPhysmap(pgOwner.memory(), req.ptr() >>> Page.SHIFT, gpfn);
            }
            default -> {
                return -Errno.ENOSYS;
            }
        }
    }

    /** {@code rcu_lock_domain_by_any_id}: DOMID_SELF is the caller. */
    private MemoryDomain resolve(MemoryDomain caller, int domid) {
        if (domid == DomId.SELF || domid == caller.domid()) {
            return caller;
        }
        return DomId.isReal(domid) ? domains.find(domid) : null;
    }

    /** Xen's default XSM_TARGET policy: a domain may act on itself; a control domain on any. */
    private static boolean mayControl(MemoryDomain caller, MemoryDomain target) {
        return caller == target || caller.domid() == target.domid() || caller.isPrivileged();
    }

    /** Xen's {@code max_order(current->domain)}. */
    private static int maxOrder(MemoryDomain caller) {
        return caller.isPrivileged() ? CTLDOM_MAX_ORDER : DOMU_MAX_ORDER;
    }
}
