package org.hvsim.hv.boot;

import java.util.Arrays;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.DomainParams;
import org.hvsim.hv.domain.DomainTable;
import org.hvsim.hv.memory.DomainMemory;
import org.hvsim.hv.memory.FrameAllocator;
import org.hvsim.hv.memory.MachineMemory;
import org.hvsim.proto.privcmd.Welcome;

/**
 * Builds domain 0 at boot, as Xen's dom0 builder does: privileged, its vCPUs external (they run in the
 * dom0 process), its RAM populated at once, start_info in guest frame 0 followed by the P2M list
 * (entry i = MFN of guest frame i), shared_info mapped at the first frame above RAM. What dom0 needs
 * to find all this (machine frames, since it starts knowing no P2M) goes in the privcmd Welcome.
 */
public final class Dom0Builder {
    /** start_info's magic: Xen's ABI version string, not the release. */
    public static final String MAGIC = org.hvsim.hv.abi.StartInfoMagic.VALUE;

    /** dom0 after construction. */
    public record Dom0(Domain domain, long startInfoMfn, long sharedInfoMfn, long[] p2mFrames) {
        public Dom0 {
            p2mFrames = p2mFrames.clone();
        }

        @Override
        public long[] p2mFrames() {
            return p2mFrames.clone();
        }

        /** What the privcmd channel tells the dom0 process at connection (generation: 1 at first boot). */
        public Welcome welcome(MachineMemory machine, int generation) {
            Welcome.Builder w = Welcome.newBuilder()
                    .setDomid(domain.domid())
                    .setStartInfoMfn(startInfoMfn)
                    .setSharedInfoMfn(sharedInfoMfn)
                    .setMachineMemoryPath(machine.path().toString())
                    .setMachineMemoryBytes(machine.frames() * Page.SIZE)
                    .setNrVcpus(domain.maxVcpus())
                    .setDom0Generation(generation);
            Arrays.stream(p2mFrames).forEach(w::addP2MFrames);
            return w.build();
        }
    }

    private Dom0Builder() {}

    public static Dom0 build(Hypervisor hv, long memoryBytes, int nrVcpus, String cmdline)
            throws DomainTable.DomainCreateException {
        long pages = memoryBytes / Page.SIZE;
        long p2mPages = (pages * 8 + Page.SIZE - 1) / Page.SIZE;
        if (pages < 2 + p2mPages) {
            throw new DomainTable.DomainCreateException(-org.hvsim.hv.abi.Errno.EINVAL, "dom0 memory " + memoryBytes
                    + " bytes is too small");
        }
        Domain d = hv.domains().createDom0(new DomainParams(0, new byte[16], 0, nrVcpus,
                EvtchnOp.NR_2L_CHANNELS - 1, 64, 1024, true, true), pages);
        DomainMemory mem = d.memory();
        populate(mem, pages);
        if (mem.mapSharedPage(d.sharedInfoFrame(), pages) != 0) {
            throw new IllegalStateException("cannot map dom0's shared_info");
        }
        GuestMemory m = d.hypervisorView();
        for (long pfn = 0; pfn < pages; pfn++) {
            m.putLong(Page.SIZE + pfn * 8, mem.lookup(pfn));
        }
        new StartInfo(MAGIC, pages, Page.addressOf(d.sharedInfoFrame()), StartInfo.SIF_PRIVILEGED | StartInfo.SIF_INITDOMAIN,
                0, 0, 0, 0, 0, 0, cmdline).write(m, 0);
        m.putLong(StartInfo.MFN_LIST, Page.SIZE);
        m.putLong(StartInfo.FIRST_P2M_PFN, 1);
        m.putLong(StartInfo.NR_P2M_FRAMES, p2mPages);
        // Every domain is created paused by the controller; dom0 has no controller but the hypervisor.
        d.unpauseByController();
        long[] p2mFrames = new long[(int) p2mPages];
        Arrays.setAll(p2mFrames, i -> mem.lookup(1 + i));
        return new Dom0(d, mem.lookup(0), d.sharedInfoFrame(), p2mFrames);
    }

    /** Populates frames [0, pages) in the largest naturally aligned blocks the allocator has. */
    private static void populate(DomainMemory mem, long pages) throws DomainTable.DomainCreateException {
        long pfn = 0;
        while (pfn < pages) {
            int order = Math.min(FrameAllocator.MAX_ORDER, Long.numberOfTrailingZeros(pfn == 0 ? Long.MIN_VALUE : pfn));
            while ((1L << order) > pages - pfn) {
                order--;
            }
            long r;
            while ((r = mem.populatePhysmap(pfn, order)) < 0 && order > 0) {
                order--;
            }
            if (r < 0) {
                throw new DomainTable.DomainCreateException((int) r, "cannot populate dom0 memory at frame " + pfn);
            }
            pfn += 1L << order;
        }
    }
}
