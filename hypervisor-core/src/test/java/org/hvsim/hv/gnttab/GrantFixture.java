package org.hvsim.hv.gnttab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabCopy;
import org.hvsim.hv.abi.gnttab.GnttabMapGrantRef;
import org.hvsim.hv.abi.gnttab.GnttabSetupTable;
import org.hvsim.hv.abi.gnttab.GnttabUnmapGrantRef;
import org.hvsim.hv.abi.gnttab.GrantEntryV1;
import org.hvsim.hv.abi.gnttab.Gtf;
import org.hvsim.hv.memory.DomainGuestMemory;
import org.hvsim.hv.memory.DomainMemory;
import org.hvsim.hv.memory.HostMemory;
import org.hvsim.hv.memory.MachineMemory;
import org.hvsim.hv.memory.MemoryInvariantChecker;
import org.hvsim.hv.memory.PreemptionHook;

/**
 * Real machine memory (a file under /dev/shm), a {@link HostMemory}, domains with RAM and grant tables,
 * and {@link GrantTableOps} over them; hypercalls are made as each domain, with arguments in its own
 * memory. The domain side writes its grant entries as a guest driver would.
 */
final class GrantFixture implements AutoCloseable, GrantDomainLookup {
    /** Guest frame where hypercall arguments go. */
    static final long ARG_PFN = 0;
    static final long ARG = Page.addressOf(ARG_PFN);
    static final int SPECIAL = 1024;

    final Path dir;
    final MachineMemory machine;
    final HostMemory host;
    final GrantTableOps ops;
    private final Map<Integer, Dom> domains = new HashMap<>();

    GrantFixture(long frames) {
        try {
            dir = Files.createTempDirectory(Files.isWritable(MachineMemory.DEFAULT_DIRECTORY)
                    ? MachineMemory.DEFAULT_DIRECTORY : Path.of(System.getProperty("java.io.tmpdir")), "hvsim-gnttab-");
            machine = MachineMemory.create(dir.resolve("machine"), frames * Page.SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        host = new HostMemory(machine, 16);
        ops = new GrantTableOps(this, machine);
    }

    /** A domain with {@code ramPages} of RAM at gfns 0.. and the given grant limits. */
    Dom domain(int domid, boolean privileged, int ramPages, int maxGrantFrames, int maxMaptrackFrames) {
        DomainMemory memory = host.createDomain(domid, ramPages + SPECIAL);
        memory.setMaxPages(ramPages);
        for (long pfn = 0; pfn < ramPages; pfn++) {
            if (memory.populatePhysmap(pfn, 0) < 0) {
                throw new IllegalStateException("populate " + pfn);
            }
        }
        Dom d = new Dom(domid, privileged, memory, new GrantTable(domid, memory, machine, maxGrantFrames, maxMaptrackFrames));
        domains.put(domid, d);
        return d;
    }

    Dom domain(int domid) {
        return domain(domid, false, 16, 4, 4);
    }

    @Override
    public GrantDomain find(int domid) {
        return domains.get(domid);
    }

    /** Destroys {@code d} as Domain.kill does: dying, grant table destroyed, memory released. */
    void kill(Dom d) {
        d.dying = true;
        d.table.destroy();
        d.memory.releaseAll();
    }

    /** Forgets a fully released domain, as the domain table's reaper does. */
    void reap(Dom d) {
        if (!d.memory.isFullyReleased()) {
            throw new IllegalStateException(d + " still has memory");
        }
        domains.remove(d.domid);
    }

    List<MemoryInvariantChecker.Violation> invariants() {
        return new MemoryInvariantChecker(host).check();
    }

    @Override
    public void close() {
        try {
            machine.close();
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A domain as the grant code sees it, with its guest side. */
    final class Dom implements GrantDomain {
        final int domid;
        final boolean privileged;
        final DomainMemory memory;
        final GrantTable table;
        final GuestMemory view;
        volatile boolean dying;

        Dom(int domid, boolean privileged, DomainMemory memory, GrantTable table) {
            this.domid = domid;
            this.privileged = privileged;
            this.memory = memory;
            this.table = table;
            this.view = new DomainGuestMemory(memory, PreemptionHook.NONE);
        }

        @Override public int domid() { return domid; }
        @Override public boolean isPrivileged() { return privileged; }
        @Override public boolean isDying() { return dying; }
        @Override public GrantTable grantTable() { return table; }

        long call(int cmd, long uop, long count) {
            return ops.op(this, cmd, view, uop, count, () -> {});
        }

        /** GNTTABOP_setup_table for itself; returns the status, frame list written at ARG + 64. */
        int setupTable(int frames) {
            new GnttabSetupTable(org.hvsim.hv.abi.DomId.SELF, frames, 99, ARG + 64).write(view, ARG);
            long rc = call(GntTabOp.SETUP_TABLE, ARG, 1);
            if (rc != 0) {
                throw new AssertionError("setup_table returned " + rc);
            }
            return view.getShort(ARG + GnttabSetupTable.STATUS);
        }

        /** Guest address of entry {@code ref} in its own table. */
        long entryAddress(int ref) {
            return Page.addressOf(table.frameGfn(GrantEntryV1.tableFrame(ref))) + GrantEntryV1.offsetInFrame(ref);
        }

        /** Grants {@code grantee} access to gfn {@code frame} under {@code ref}: domid, frame, release, flags. */
        void grant(int ref, int grantee, long frame, boolean readonly) {
            long at = entryAddress(ref);
            view.putShort(at + GrantEntryV1.DOMID, (short) grantee);
            view.putInt(at + GrantEntryV1.FRAME, (int) frame);
            view.putShortRelease(at + GrantEntryV1.FLAGS, (short) (Gtf.PERMIT_ACCESS | (readonly ? Gtf.READONLY : 0)));
        }

        /** Ends access to {@code ref} (CAS flags to 0 unless reading/writing); whether it ended. */
        boolean endAccess(int ref) {
            long at = entryAddress(ref);
            int combo = view.getIntAcquire(at);
            if ((combo & (Gtf.READING | Gtf.WRITING)) != 0) {
                return false;
            }
            return view.compareAndExchangeInt(at, combo, combo & 0xFFFF0000) == combo;
        }

        int flags(int ref) {
            return table.entry(ref).flags();
        }

        /** Maps {@code granter}'s {@code ref}; returns {status, handle, dev_bus_addr}. */
        long[] map(int granter, int ref, int flags) {
            GnttabMapGrantRef.request(flags, ref, granter).write(view, ARG);
            long rc = call(GntTabOp.MAP_GRANT_REF, ARG, 1);
            if (rc != 0) {
                throw new AssertionError("map returned " + rc);
            }
            GnttabMapGrantRef out = GnttabMapGrantRef.read(view, ARG);
            return new long[] {out.status(), Integer.toUnsignedLong(out.handle()), out.devBusAddr()};
        }

        int unmap(long handle, long devBusAddr) {
            new GnttabUnmapGrantRef(0, devBusAddr, (int) handle, 99).write(view, ARG);
            long rc = call(GntTabOp.UNMAP_GRANT_REF, ARG, 1);
            if (rc != 0) {
                throw new AssertionError("unmap returned " + rc);
            }
            return view.getShort(ARG + GnttabUnmapGrantRef.STATUS);
        }

        int copy(GnttabCopy op) {
            op.write(view, ARG);
            long rc = call(GntTabOp.COPY, ARG, 1);
            if (rc != 0) {
                throw new AssertionError("copy returned " + rc);
            }
            return view.getShort(ARG + GnttabCopy.STATUS);
        }

        @Override
        public String toString() {
            return "d" + domid;
        }
    }

    static String st(long status) {
        return GntSt.message((int) status);
    }
}
