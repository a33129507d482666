package org.hvsim.dom0.toolstack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.BitSet;
import java.util.UUID;
import org.hvsim.dom0.xen.Dom0Platform;
import org.hvsim.dom0.xen.ForeignMapping;
import org.hvsim.dom0.xen.XenError;
import org.hvsim.dom0.xen.Xc;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.Sysctl;
import org.hvsim.hv.abi.KernelImage;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;
import org.hvsim.proto.toolstack.MemoryExtent;

/**
 * Builds a PV domU from a {@link DomainSpec} with hypercalls, as libxl and libxc do: createdomain,
 * max_mem, populate_physmap (2 MiB extents), shared_info mapped above RAM, the kernel image and
 * start_info written through foreign mappings, a zeroed xenstore ring page, the console's and the store's
 * event channels allocated for dom0, vCPU
 * contexts and affinity set. The domain is left paused; on any failure it is destroyed. Thread-safe.
 */
public final class DomainBuilder {
    private final Dom0Platform platform;
    private final int nrCpus;

    public DomainBuilder(Dom0Platform platform, int nrCpus) {
        this.platform = platform;
        this.nrCpus = nrCpus;
    }

    public BuiltDomain build(DomainSpec spec) throws ConfigException {
        Xc xc = platform.xc();
        int domid;
        try {
            domid = xc.createDomain(uuidBytes(spec.uuid()), spec.maxVcpus(), spec.maxEvtchnPort(), spec.maxGrantFrames(),
                    spec.maxMaptrackFrames());
        } catch (XenError e) {
            throw failure(e, "cannot create the domain");
        }
        try {
            return populateAndBoot(xc, domid, spec);
        } catch (XenError e) {
            destroyQuietly(xc, domid);
            throw failure(e, "cannot build domain " + domid);
        } catch (RuntimeException | Error e) {
            destroyQuietly(xc, domid);
            throw e;
        }
    }

    private BuiltDomain populateAndBoot(Xc xc, int domid, DomainSpec spec) {
        xc.setMaxMem(domid, spec.maxPages() * 4);
        List<MemoryExtent> extents = new ArrayList<>();
        long[] bootstrap = populate(xc, domid, spec.memoryPages(), extents);
        xc.mapSharedInfo(domid, DomainLayout.sharedInfoPfn(spec.memoryPages()));
        int consolePort = platform.events().allocUnbound(domid, DomId.DOM0, "console");
        int storePort = platform.events().allocUnbound(domid, DomId.DOM0, "xenstore");
        try (ForeignMapping map = platform.foreign().map(domid, bootstrap, 0)) {
            map.memory().fill(Page.addressOf(DomainLayout.STORE_PFN), Page.SIZE, (byte) 0);
            KernelImage image = new KernelImage(spec.kernel().toString());
            image.write(map.memory(), Page.addressOf(DomainLayout.IMAGE_PFN));
            new StartInfo(org.hvsim.hv.abi.StartInfoMagic.VALUE, spec.memoryPages(),
                    Page.addressOf(DomainLayout.sharedInfoPfn(spec.memoryPages())), StartInfo.SIF_MOD_START_PFN,
                    DomainLayout.STORE_PFN, storePort, DomainLayout.CONSOLE_PFN, consolePort, DomainLayout.IMAGE_PFN, image.length(), spec.cmdline())
                    .write(map.memory(), DomainLayout.startInfoAddress());
        }
        for (int v = 0; v < spec.vcpus(); v++) {
            VcpuGuestContext ctx = v == 0
                    ? new VcpuGuestContext(VcpuGuestContext.VGCF_ONLINE, VcpuGuestContext.ENTRY_BOOT, DomainLayout.startInfoAddress())
                    : new VcpuGuestContext(VcpuGuestContext.VGCF_ONLINE, VcpuGuestContext.ENTRY_SECONDARY, 0);
            xc.setVcpuContext(domid, v, ctx);
        }
        for (int v = 0; v < spec.maxVcpus(); v++) {
            BitSet hard = v < spec.hardAffinity().size() ? spec.hardAffinity().get(v) : null;
            BitSet soft = v < spec.softAffinity().size() ? spec.softAffinity().get(v) : null;
            if (hard != null || soft != null) {
                xc.setVcpuAffinity(domid, v, hard, soft, nrCpus);
            }
        }
        applySchedParams(xc, domid, spec.config().getCpuWeight(), spec.config().getCap());
        return new BuiltDomain(domid, bootstrap[(int) DomainLayout.CONSOLE_PFN], consolePort,
                bootstrap[(int) DomainLayout.STORE_PFN], storePort, extents);
    }

    /**
     * xl.cfg's {@code cpu_weight} and {@code cap} (0: not given), as libxl applies a domain's scheduling
     * parameters at creation: on a credit host through scheduler_op; a scheduler without weights
     * (rr) has nothing to apply them to.
     */
    private static void applySchedParams(Xc xc, int domid, int weight, int cap) {
        if ((weight != 0 || cap != 0) && xc.schedulerId() == Sysctl.SCHEDULER_CREDIT) {
            xc.schedCreditDomainSet(domid, weight, cap != 0 ? cap : Domctl.SCHED_CREDIT_CAP_UNCHANGED);
        }
    }

    /** Populates RAM in 2 MiB extents (the rest page by page); returns the MFNs of the bootstrap pages. */
    private static long[] populate(Xc xc, int domid, long pages, List<MemoryExtent> extents) {
        long big = pages >>> DomainLayout.SUPERPAGE_ORDER;
        long[] bootstrap = new long[DomainLayout.BOOTSTRAP_PAGES];
        Arrays.fill(bootstrap, Page.INVALID_FRAME);
        if (big > 0) {
            long[] gpfns = new long[(int) big];
            Arrays.setAll(gpfns, i -> (long) i << DomainLayout.SUPERPAGE_ORDER);
            long[] first = xc.populatePhysmap(domid, gpfns, DomainLayout.SUPERPAGE_ORDER);
            for (int i = 0; i < gpfns.length; i++) {
                extents.add(extent(gpfns[i], first[i], DomainLayout.SUPERPAGE_ORDER));
            }
            for (int i = 0; i < bootstrap.length; i++) {
                bootstrap[i] = first[0] + i;
            }
        }
        long rest = pages - (big << DomainLayout.SUPERPAGE_ORDER);
        if (rest > 0) {
            long[] gpfns = new long[(int) rest];
            Arrays.setAll(gpfns, i -> (big << DomainLayout.SUPERPAGE_ORDER) + i);
            long[] mfns = xc.populatePhysmap(domid, gpfns, 0);
            for (int i = 0; i < gpfns.length; i++) {
                extents.add(extent(gpfns[i], mfns[i], 0));
            }
            for (int i = 0; i < bootstrap.length; i++) {
                if (bootstrap[i] == Page.INVALID_FRAME && i < mfns.length && gpfns[i] == i) {
                    bootstrap[i] = mfns[i];
                }
            }
        }
        return bootstrap;
    }

    private static MemoryExtent extent(long gpfn, long mfn, int order) {
        return MemoryExtent.newBuilder().setGpfn(gpfn).setMfn(mfn).setOrder(order).build();
    }

    private static ConfigException failure(XenError e, String what) {
        ConfigException.Kind kind = e.errno() == org.hvsim.hv.abi.Errno.ENOMEM || e.errno() == org.hvsim.hv.abi.Errno.ENOSPC
                ? ConfigException.Kind.RESOURCE_EXHAUSTED : ConfigException.Kind.FAILED_PRECONDITION;
        return new ConfigException(kind, null, what + ": " + e.getMessage());
    }

    static void destroyQuietly(Xc xc, int domid) {
        try {
            xc.destroyDomain(domid);
        } catch (XenError ignored) {
            // Already gone.
        }
    }

    static byte[] uuidBytes(UUID u) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
            b[8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
        }
        return b;
    }
}
