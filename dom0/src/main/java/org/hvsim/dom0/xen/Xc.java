package org.hvsim.dom0.xen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.SchedOp;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.Sysctl;
import org.hvsim.hv.abi.XenMem;
import org.hvsim.hv.abi.XenVer;
import org.hvsim.hv.abi.domctl.CreateDomain;
import org.hvsim.hv.abi.domctl.DomctlHeader;
import org.hvsim.hv.abi.domctl.DomctlSchedulerOp;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.hv.abi.domctl.GetVcpuInfo;
import org.hvsim.hv.abi.domctl.VcpuAffinity;
import org.hvsim.hv.abi.domctl.VcpuContextArg;
import org.hvsim.hv.abi.domctl.XenctlBitmap;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabCopy;
import org.hvsim.hv.abi.gnttab.GnttabMapGrantRef;
import org.hvsim.hv.abi.gnttab.GnttabQuerySize;
import org.hvsim.hv.abi.gnttab.GnttabUnmapGrantRef;
import org.hvsim.hv.abi.memory.XenAddToPhysmap;
import org.hvsim.hv.abi.memory.XenMemoryReservation;
import org.hvsim.hv.abi.sched.SchedRemoteShutdown;
import org.hvsim.hv.abi.sysctl.GetDomainInfoList;
import org.hvsim.hv.abi.sysctl.Physinfo;
import org.hvsim.hv.abi.sysctl.ReadConsole;
import org.hvsim.hv.abi.sysctl.SysctlHeader;
import org.hvsim.hv.abi.sysctl.SysctlSchedulerOp;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;

/**
 * Domain and host control as dom0's toolstack uses it (libxenctrl): every method writes its argument
 * structures into a hypercall buffer in dom0's memory, makes the hypercall, reads the results back,
 * and throws {@link XenError} on failure. Thread-safe.
 */
public final class Xc {
    /** Where extra data (a vCPU context, bitmaps, arrays) goes in a domctl's buffer, after the header. */
    private static final long EXTRA = 512;

    private final XenCall xen;
    private final HypercallBufferPool buffers;

    public Xc(XenCall xen, HypercallBufferPool buffers) {
        this.xen = xen;
        this.buffers = buffers;
    }

    public XenCall xen() {
        return xen;
    }

    public HypercallBufferPool buffers() {
        return buffers;
    }

    static long check(String op, long r) {
        if (r < 0) {
            throw new XenError(op, r);
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------------
    // domctl
    // ---------------------------------------------------------------------------------------------

    private long domctl(HypercallBuffer b, String name, int cmd, int domid) {
        return check("domctl " + name + " (d" + domid + ")", xen.hypercall(HypercallNr.DOMCTL, b.address()));
    }

    private static void header(HypercallBuffer b, int cmd, int domid) {
        new DomctlHeader(cmd, Domctl.INTERFACE_VERSION, domid).write(b.memory(), b.address());
    }

    private static long u(HypercallBuffer b) {
        return b.address() + DomctlHeader.U;
    }

    /** XEN_DOMCTL_createdomain: a new paused domain; returns its domid. */
    public int createDomain(byte[] uuid, int maxVcpus, int maxEvtchnPort, int maxGrantFrames, int maxMaptrackFrames) {
        try (HypercallBuffer b = buffers.acquire()) {
            header(b, Domctl.CREATEDOMAIN, 0);
            new CreateDomain(0, uuid, 0, maxVcpus, maxEvtchnPort, maxGrantFrames, maxMaptrackFrames, 1, 0)
                    .write(b.memory(), u(b));
            domctl(b, "createdomain", Domctl.CREATEDOMAIN, 0);
            return DomctlHeader.read(b.memory(), b.address()).domain();
        }
    }

    private void simple(int cmd, String name, int domid) {
        try (HypercallBuffer b = buffers.acquire()) {
            header(b, cmd, domid);
            domctl(b, name, cmd, domid);
        }
    }

    public void destroyDomain(int domid) {
        simple(Domctl.DESTROYDOMAIN, "destroydomain", domid);
    }

    public void pauseDomain(int domid) {
        simple(Domctl.PAUSEDOMAIN, "pausedomain", domid);
    }

    public void unpauseDomain(int domid) {
        simple(Domctl.UNPAUSEDOMAIN, "unpausedomain", domid);
    }

    public GetDomainInfo getDomainInfo(int domid) {
        try (HypercallBuffer b = buffers.acquire()) {
            header(b, Domctl.GETDOMAININFO, domid);
            domctl(b, "getdomaininfo", Domctl.GETDOMAININFO, domid);
            return GetDomainInfo.read(b.memory(), u(b));
        }
    }

    public void setMaxMem(int domid, long maxKb) {
        try (HypercallBuffer b = buffers.acquire()) {
            header(b, Domctl.MAX_MEM, domid);
            b.memory().putLong(u(b), maxKb);
            domctl(b, "max_mem", Domctl.MAX_MEM, domid);
        }
    }

    public void setVcpuContext(int domid, int vcpu, VcpuGuestContext ctx) {
        try (HypercallBuffer b = buffers.acquire()) {
            header(b, Domctl.SETVCPUCONTEXT, domid);
            ctx.write(b.memory(), b.at(EXTRA));
            new VcpuContextArg(vcpu, b.at(EXTRA)).write(b.memory(), u(b));
            domctl(b, "setvcpucontext", Domctl.SETVCPUCONTEXT, domid);
        }
    }

    public GetVcpuInfo getVcpuInfo(int domid, int vcpu) {
        try (HypercallBuffer b = buffers.acquire()) {
            header(b, Domctl.GETVCPUINFO, domid);
            b.memory().putInt(u(b), vcpu);
            domctl(b, "getvcpuinfo", Domctl.GETVCPUINFO, domid);
            return GetVcpuInfo.read(b.memory(), u(b));
        }
    }

    /** The hard and soft affinity of a vCPU, each as a set of pCPUs of a host with {@code nrCpus}. */
    public record Affinity(BitSet hard, BitSet soft) {}

    /** XEN_DOMCTL_setvcpuaffinity; a null set leaves that affinity alone. Returns the effective sets. */
    public Affinity setVcpuAffinity(int domid, int vcpu, BitSet hard, BitSet soft, int nrCpus) {
        return affinity(Domctl.SETVCPUAFFINITY, "setvcpuaffinity", domid, vcpu, hard, soft, nrCpus);
    }

    public Affinity getVcpuAffinity(int domid, int vcpu, int nrCpus) {
        return affinity(Domctl.GETVCPUAFFINITY, "getvcpuaffinity", domid, vcpu, new BitSet(), new BitSet(), nrCpus);
    }

    private Affinity affinity(int cmd, String name, int domid, int vcpu, BitSet hard, BitSet soft, int nrCpus) {
        try (HypercallBuffer b = buffers.acquire()) {
            header(b, cmd, domid);
            int bytes = (nrCpus + 7) / 8;
            XenctlBitmap h = new XenctlBitmap(b.at(EXTRA), nrCpus);
            XenctlBitmap s = new XenctlBitmap(b.at(EXTRA + 1024), nrCpus);
            b.memory().write(h.bitmap(), bitmapBytes(hard, bytes));
            b.memory().write(s.bitmap(), bitmapBytes(soft, bytes));
            int flags = (hard != null ? Domctl.VCPUAFFINITY_HARD : 0) | (soft != null ? Domctl.VCPUAFFINITY_SOFT : 0);
            new VcpuAffinity(vcpu, flags, h, s).write(b.memory(), u(b));
            domctl(b, name, cmd, domid);
            return new Affinity(BitSet.valueOf(b.memory().readBytes(h.bitmap(), bytes)),
                    BitSet.valueOf(b.memory().readBytes(s.bitmap(), bytes)));
        }
    }

    private static byte[] bitmapBytes(BitSet set, int bytes) {
        byte[] out = new byte[bytes];
        if (set != null) {
            byte[] src = set.toByteArray();
            System.arraycopy(src, 0, out, 0, Math.min(src.length, bytes));
        }
        return out;
    }

    /** xc_sched_credit_domain_get: a domain's credit weight and cap (XEN_DOMCTL_SCHEDOP_getinfo). */
    public DomctlSchedulerOp schedCreditDomainGet(int domid) {
        try (HypercallBuffer b = buffers.acquire()) {
            header(b, Domctl.SCHEDULER_OP, domid);
            new DomctlSchedulerOp(Sysctl.SCHEDULER_CREDIT, Domctl.SCHEDOP_GETINFO, 0, 0).write(b.memory(), u(b));
            domctl(b, "scheduler_op getinfo", Domctl.SCHEDULER_OP, domid);
            return DomctlSchedulerOp.read(b.memory(), u(b));
        }
    }

    /**
     * xc_sched_credit_domain_set (XEN_DOMCTL_SCHEDOP_putinfo): a weight of 0 and a cap of
     * {@link Domctl#SCHED_CREDIT_CAP_UNCHANGED} leave that value alone.
     */
    public void schedCreditDomainSet(int domid, int weight, int cap) {
        try (HypercallBuffer b = buffers.acquire()) {
            header(b, Domctl.SCHEDULER_OP, domid);
            new DomctlSchedulerOp(Sysctl.SCHEDULER_CREDIT, Domctl.SCHEDOP_PUTINFO, weight, cap).write(b.memory(), u(b));
            domctl(b, "scheduler_op putinfo", Domctl.SCHEDULER_OP, domid);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // sysctl
    // ---------------------------------------------------------------------------------------------

    /** xc_sched_credit_params_get: cpupool 0's credit tslice, ratelimit and migration delay. */
    public SysctlSchedulerOp schedCreditParamsGet() {
        return schedCreditParams(new SysctlSchedulerOp(0, Sysctl.SCHEDULER_CREDIT, Sysctl.SCHEDOP_GETINFO, 0, 0, 0),
                "scheduler_op getinfo");
    }

    /** xc_sched_credit_params_set: cpupool 0's credit parameters; returns them as the hypervisor has them. */
    public SysctlSchedulerOp schedCreditParamsSet(int tsliceMs, int ratelimitUs, int vcpuMigrDelayUs) {
        return schedCreditParams(new SysctlSchedulerOp(0, Sysctl.SCHEDULER_CREDIT, Sysctl.SCHEDOP_PUTINFO, tsliceMs,
                ratelimitUs, vcpuMigrDelayUs), "scheduler_op putinfo");
    }

    private SysctlSchedulerOp schedCreditParams(SysctlSchedulerOp op, String name) {
        try (HypercallBuffer b = buffers.acquire()) {
            new SysctlHeader(Sysctl.SCHEDULER_OP, Sysctl.INTERFACE_VERSION).write(b.memory(), b.address());
            op.write(b.memory(), b.address() + SysctlHeader.U);
            sysctl(b, name);
            return SysctlSchedulerOp.read(b.memory(), b.address() + SysctlHeader.U);
        }
    }

    private long sysctl(HypercallBuffer b, String name) {
        return check("sysctl " + name, xen.hypercall(HypercallNr.SYSCTL, b.address()));
    }

    public Physinfo physinfo() {
        try (HypercallBuffer b = buffers.acquire()) {
            new SysctlHeader(Sysctl.PHYSINFO, Sysctl.INTERFACE_VERSION).write(b.memory(), b.address());
            sysctl(b, "physinfo");
            return Physinfo.read(b.memory(), b.address() + SysctlHeader.U);
        }
    }

    public int schedulerId() {
        try (HypercallBuffer b = buffers.acquire()) {
            new SysctlHeader(Sysctl.SCHED_ID, Sysctl.INTERFACE_VERSION).write(b.memory(), b.address());
            sysctl(b, "sched_id");
            return b.memory().getInt(b.address() + SysctlHeader.U);
        }
    }

    /** Every domain, in domid order (XEN_SYSCTL_getdomaininfolist, as many calls as needed). */
    public List<GetDomainInfo> listDomains() {
        List<GetDomainInfo> all = new ArrayList<>();
        try (HypercallBuffer b = buffers.acquire()) {
            int perCall = (int) ((b.size() - EXTRA) / GetDomainInfo.SIZE);
            int first = 0;
            while (true) {
                new SysctlHeader(Sysctl.GETDOMAININFOLIST, Sysctl.INTERFACE_VERSION).write(b.memory(), b.address());
                long u = b.address() + SysctlHeader.U;
                new GetDomainInfoList(first, perCall, b.at(EXTRA), 0).write(b.memory(), u);
                sysctl(b, "getdomaininfolist");
                int n = b.memory().getInt(u + GetDomainInfoList.NUM_DOMAINS);
                for (int i = 0; i < n; i++) {
                    all.add(GetDomainInfo.read(b.memory(), b.at(EXTRA + (long) i * GetDomainInfo.SIZE)));
                }
                if (n < perCall) {
                    return all;
                }
                first = all.get(all.size() - 1).domain() + 1;
            }
        }
    }

    /** The hypervisor console ring (xl dmesg); with {@code clear}, also empties it. */
    public String readConsole(boolean clear) {
        StringBuilder out = new StringBuilder();
        try (HypercallBuffer b = buffers.acquire()) {
            long index = 0;
            boolean first = true;
            while (true) {
                new SysctlHeader(Sysctl.READCONSOLE, Sysctl.INTERFACE_VERSION).write(b.memory(), b.address());
                long u = b.address() + SysctlHeader.U;
                int room = (int) (b.size() - EXTRA);
                new ReadConsole(false, !first, (int) index, b.at(EXTRA), room).write(b.memory(), u);
                sysctl(b, "readconsole");
                ReadConsole r = ReadConsole.read(b.memory(), u);
                out.append(new String(b.memory().readBytes(b.at(EXTRA), r.count()), StandardCharsets.UTF_8));
                index = Integer.toUnsignedLong(r.index());
                first = false;
                if (r.count() < room) {
                    break;
                }
            }
            if (clear) {
                new SysctlHeader(Sysctl.READCONSOLE, Sysctl.INTERFACE_VERSION).write(b.memory(), b.address());
                new ReadConsole(true, true, (int) index, b.at(EXTRA), 0).write(b.memory(), b.address() + SysctlHeader.U);
                sysctl(b, "readconsole");
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // memory_op, sched_op, xen_version
    // ---------------------------------------------------------------------------------------------

    /**
     * populate_physmap for {@code domid}: one extent of 2^order frames at each gpfn; returns the first
     * MFN of each extent. Throws unless every extent was populated.
     */
    public long[] populatePhysmap(int domid, long[] gpfns, int order) {
        long[] mfns = new long[gpfns.length];
        try (HypercallBuffer b = buffers.acquire()) {
            int perCall = (int) ((b.size() - EXTRA) / 8);
            for (int done = 0; done < gpfns.length; ) {
                int n = Math.min(perCall, gpfns.length - done);
                for (int i = 0; i < n; i++) {
                    b.memory().putLong(b.at(EXTRA + 8L * i), gpfns[done + i]);
                }
                new XenMemoryReservation(b.at(EXTRA), n, order, 0, domid).writeTo(b.memory(), b.address());
                long r = xen.hypercall(HypercallNr.MEMORY_OP, XenMem.POPULATE_PHYSMAP, b.address());
                if (r != n) {
                    throw new XenError("memory_op populate_physmap (d" + domid + ", " + n + " extents of order " + order
                            + ", " + (r < 0 ? "error" : r + " done") + ")", r < 0 ? r : -org.hvsim.hv.abi.Errno.ENOMEM);
                }
                for (int i = 0; i < n; i++) {
                    mfns[done + i] = b.memory().getLong(b.at(EXTRA + 8L * i));
                }
                done += n;
            }
        }
        return mfns;
    }

    /** XENMEM_add_to_physmap, XENMAPSPACE_shared_info: maps {@code domid}'s shared_info at {@code gpfn}. */
    public void mapSharedInfo(int domid, long gpfn) {
        try (HypercallBuffer b = buffers.acquire()) {
            new XenAddToPhysmap(domid, 0, XenAddToPhysmap.SPACE_SHARED_INFO, 0, gpfn).writeTo(b.memory(), b.address());
            check("memory_op add_to_physmap shared_info (d" + domid + ")",
                    xen.hypercall(HypercallNr.MEMORY_OP, XenMem.ADD_TO_PHYSMAP, b.address()));
        }
    }

    /** SCHEDOP_remote_shutdown: shuts {@code domid} down with {@code reason} (SHUTDOWN_*). */
    public void remoteShutdown(int domid, int reason) {
        try (HypercallBuffer b = buffers.acquire()) {
            new SchedRemoteShutdown(domid, reason).write(b.memory(), b.address());
            check("sched_op remote_shutdown (d" + domid + ")",
                    xen.hypercall(HypercallNr.SCHED_OP, SchedOp.REMOTE_SHUTDOWN, b.address()));
        }
    }

    /** xen_version(XENVER_version): major &lt;&lt; 16 | minor. */
    public int xenVersion() {
        return (int) check("xen_version", xen.hypercall(HypercallNr.XEN_VERSION, XenVer.VERSION, 0));
    }

    /** A string-valued xen_version command (extraversion, capabilities, changeset, commandline). */
    public String xenVersionString(int cmd, int length) {
        try (HypercallBuffer b = buffers.acquire()) {
            check("xen_version " + cmd, xen.hypercall(HypercallNr.XEN_VERSION, cmd, b.address()));
            return StartInfo.cString(b.memory(), b.address(), length);
        }
    }

    /** xen_version(XENVER_compile_info): compiler, compile_by, compile_domain, compile_date. */
    public String[] compileInfo() {
        try (HypercallBuffer b = buffers.acquire()) {
            check("xen_version compile_info", xen.hypercall(HypercallNr.XEN_VERSION, XenVer.COMPILE_INFO, b.address()));
            GuestMemory m = b.memory();
            long a = b.address();
            return new String[] {StartInfo.cString(m, a, 64), StartInfo.cString(m, a + 64, 16),
                    StartInfo.cString(m, a + 80, 32), StartInfo.cString(m, a + 112, 32)};
        }
    }

    /** xen_version(XENVER_build_id) as hex, or "" when the hypervisor has none. */
    public String buildId() {
        try (HypercallBuffer b = buffers.acquire()) {
            b.memory().putInt(b.address(), 256);
            long n = xen.hypercall(HypercallNr.XEN_VERSION, XenVer.BUILD_ID, b.address());
            if (n <= 0) {
                return "";
            }
            return java.util.HexFormat.of().formatHex(b.memory().readBytes(b.address() + 4, (int) n));
        }
    }

    /** xen_version(XENVER_platform_parameters): where Xen's virtual address space starts. */
    public long virtStart() {
        try (HypercallBuffer b = buffers.acquire()) {
            check("xen_version platform_parameters", xen.hypercall(HypercallNr.XEN_VERSION, XenVer.PLATFORM_PARAMETERS, b.address()));
            return b.memory().getLong(b.address());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // grant_table_op (libxengnttab)
    // ---------------------------------------------------------------------------------------------

    /**
     * GNTTABOP_map_grant_ref of {@code domid}'s {@code ref}, read-only or writable (GNTMAP_host_map).
     * Throws {@link GrantError} on a GNTST status, {@link XenError} if the call fails.
     */
    public GrantMap mapGrantRef(int domid, int ref, boolean readonly) {
        int flags = GntTabOp.GNTMAP_HOST_MAP | (readonly ? GntTabOp.GNTMAP_READONLY : 0);
        try (HypercallBuffer b = buffers.acquire()) {
            GnttabMapGrantRef.request(flags, ref, domid).write(b.memory(), b.address());
            grantTableOp(GntTabOp.MAP_GRANT_REF, b, 1, "d" + domid + " ref " + ref);
            GnttabMapGrantRef out = GnttabMapGrantRef.read(b.memory(), b.address());
            if (out.status() != GntSt.OKAY) {
                throw new GrantError("map_grant_ref d" + domid + " ref " + ref, out.status());
            }
            return new GrantMap(domid, ref, readonly, out.handle(), out.devBusAddr());
        }
    }

    /** GNTTABOP_unmap_grant_ref of a mapping {@link #mapGrantRef} made. */
    public void unmapGrantRef(GrantMap map) {
        try (HypercallBuffer b = buffers.acquire()) {
            new GnttabUnmapGrantRef(0, map.devBusAddr(), map.handle(), 0).write(b.memory(), b.address());
            grantTableOp(GntTabOp.UNMAP_GRANT_REF, b, 1, "handle " + Integer.toUnsignedString(map.handle()));
            int status = b.memory().getShort(b.address() + GnttabUnmapGrantRef.STATUS);
            if (status != GntSt.OKAY) {
                throw new GrantError("unmap_grant_ref d" + map.domid() + " ref " + map.ref(), status);
            }
        }
    }

    /**
     * GNTTABOP_copy of {@code ops}, in as many calls as the hypercall buffer needs; returns each
     * operation's GNTST status (the caller decides what a failed one means).
     */
    public int[] grantCopy(List<GnttabCopy> ops) {
        int[] status = new int[ops.size()];
        try (HypercallBuffer b = buffers.acquire()) {
            int perCall = (int) Math.min(b.size() / GnttabCopy.SIZE, GntTabOp.MAX_OPS_PER_CALL);
            for (int done = 0; done < ops.size(); ) {
                int n = Math.min(perCall, ops.size() - done);
                for (int i = 0; i < n; i++) {
                    ops.get(done + i).write(b.memory(), b.at((long) i * GnttabCopy.SIZE));
                }
                grantTableOp(GntTabOp.COPY, b, n, n + " ops");
                for (int i = 0; i < n; i++) {
                    status[done + i] = b.memory().getShort(b.at((long) i * GnttabCopy.SIZE + GnttabCopy.STATUS));
                }
                done += n;
            }
        }
        return status;
    }

    /** GNTTABOP_query_size of {@code domid} (DOMID_SELF for dom0's own). */
    public GnttabQuerySize grantQuerySize(int domid) {
        try (HypercallBuffer b = buffers.acquire()) {
            new GnttabQuerySize(domid, 0, 0, 0).write(b.memory(), b.address());
            grantTableOp(GntTabOp.QUERY_SIZE, b, 1, "d" + domid);
            GnttabQuerySize out = GnttabQuerySize.read(b.memory(), b.address());
            if (out.status() != GntSt.OKAY) {
                throw new GrantError("query_size d" + domid, out.status());
            }
            return out;
        }
    }

    private void grantTableOp(int cmd, HypercallBuffer b, int count, String what) {
        check("grant_table_op " + GntTabOp.name(cmd) + " (" + what + ")",
                xen.hypercall(HypercallNr.GRANT_TABLE_OP, cmd, b.address(), count, 0, 0));
    }
}
