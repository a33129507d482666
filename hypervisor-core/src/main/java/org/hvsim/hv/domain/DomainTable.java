package org.hvsim.hv.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.evtchn.DomainLookup;
import org.hvsim.hv.gnttab.GrantDomainLookup;
import org.hvsim.hv.gnttab.GrantTable;
import org.hvsim.hv.memory.DomainMemory;
import org.hvsim.hv.memory.MemoryDomainLookup;
import org.hvsim.hv.time.TimerService;

/**
 * The domain table: domain ids, creation, lookup by id, and reaping of destroyed domains once their
 * vCPU threads have ended and their frames are free. Domain ids are handed out like Xen's
 * {@code domid_policy = "xen"}: increasing from the last one given, wrapping below 0x7FF0, skipping
 * ids in use. Threads: any; creation and id allocation are serialised on the table.
 */
public final class DomainTable implements DomainLookup, MemoryDomainLookup, GrantDomainLookup {
    /** Extra guest frame numbers above a domain's maximum RAM, for pages mapped in (shared_info, ...). */
    public static final long SPECIAL_GPFNS = 1024;
    private static final long REAP_PERIOD_NS = 10_000_000L;

    private final Hypervisor hv;
    private final ConcurrentSkipListMap<Integer, Domain> domains = new ConcurrentSkipListMap<>();
    private final TimerService.Timer reaper;
    private int rover;

    public DomainTable(Hypervisor hv) {
        this.hv = hv;
        this.reaper = hv.timers().newTimer(this::reap);
    }

    @Override
    public Domain find(int domid) {
        return domains.get(domid);
    }

    /** Domains in domid order (a snapshot), dying ones included until reaped. */
    public List<Domain> list() {
        return new ArrayList<>(domains.values());
    }

    /** Domains with domid ≥ {@code first}, in order, at most {@code max}. */
    public List<Domain> listFrom(int first, int max) {
        List<Domain> out = new ArrayList<>();
        for (Domain d : domains.tailMap(first).values()) {
            if (out.size() >= max) {
                break;
            }
            out.add(d);
        }
        return out;
    }

    public int size() {
        return domains.size();
    }

    /**
     * Creates domain 0 at boot: privileged, external (its vCPUs run in the dom0 process), with a
     * reservation of {@code maxPages}.
     */
    public Domain createDom0(DomainParams p, long maxPages) throws DomainCreateException {
        synchronized (this) {
            if (domains.containsKey(DomId.DOM0)) {
                throw new DomainCreateException(-Errno.EEXIST, "domain 0 exists");
            }
            return create(DomId.DOM0, p, maxPages + SPECIAL_GPFNS, maxPages);
        }
    }

    /**
     * XEN_DOMCTL_createdomain: a guest domain, paused by the controller, all vCPUs down, with a
     * shared_info page and an empty event channel table, and no memory reservation yet (max_pages 0
     * until XEN_DOMCTL_max_mem, as in Xen). {@code p.domid()} 0 asks for the next free id; any other
     * real id is used if free (-EEXIST otherwise).
     *
     * @param machineFrames the P2M may cover this many guest frames (no domain can hold more)
     */
    public Domain createGuest(DomainParams p, long machineFrames) throws DomainCreateException {
        synchronized (this) {
            int domid = allocateDomid(p.domid());
            return create(domid, p, machineFrames + SPECIAL_GPFNS, 0);
        }
    }

    private Domain create(int domid, DomainParams p, long gpfnLimit, long maxPages) throws DomainCreateException {
        if (p.maxVcpus() < 1 || p.maxVcpus() > DomainParams.MAX_VCPUS) {
            throw new DomainCreateException(-Errno.EINVAL, "max_vcpus " + p.maxVcpus() + " not in 1.." + DomainParams.MAX_VCPUS);
        }
        int maxPort = p.maxEvtchnPort() == 0 ? EvtchnOp.DEFAULT_MAX_PORT : p.maxEvtchnPort();
        if (maxPort < 1 || maxPort >= EvtchnOp.NR_2L_CHANNELS) {
            throw new DomainCreateException(-Errno.EINVAL, "max_evtchn_port " + maxPort + " not in 1.."
                    + (EvtchnOp.NR_2L_CHANNELS - 1));
        }
        // A negative limit asks for the hypervisor's gnttab_max_frames / gnttab_max_maptrack_frames, as in
        // Xen; so does 0 here (Xen refuses 0 grant frames; hvsim's callers use 0 for "default").
        int grantFrames = p.maxGrantFrames() <= 0 ? GrantTable.HV_MAX_GRANT_FRAMES : p.maxGrantFrames();
        int maptrackFrames = p.maxMaptrackFrames() <= 0 ? GrantTable.HV_MAX_MAPTRACK_FRAMES : p.maxMaptrackFrames();
        String badLimits = GrantTable.checkLimits(grantFrames, maptrackFrames);
        if (badLimits != null) {
            throw new DomainCreateException(-Errno.EINVAL, badLimits);
        }
        DomainParams params = new DomainParams(domid, p.handle(), p.ssidref(), p.maxVcpus(), maxPort,
                grantFrames, maptrackFrames, p.privileged(), p.external());
        DomainMemory memory = hv.memory().createDomain(domid, gpfnLimit);
        memory.setMaxPages(maxPages);
        long sharedInfo = memory.allocateSharedPage();
        if (sharedInfo < 0) {
            memory.releaseAll();
            throw new DomainCreateException((int) sharedInfo, "no frame for shared_info");
        }
        Domain d = new Domain(hv, domid, params, memory, sharedInfo);
        domains.put(domid, d);
        return d;
    }

    private int allocateDomid(int requested) throws DomainCreateException {
        if (requested != 0) {
            if (!DomId.isReal(requested)) {
                throw new DomainCreateException(-Errno.EINVAL, "domain id " + requested + " is reserved");
            }
            if (inUse(requested)) {
                throw new DomainCreateException(-Errno.EEXIST, "domain " + requested + " exists");
            }
            return requested;
        }
        for (int i = 1; i < DomId.FIRST_RESERVED; i++) {
            rover = rover + 1 >= DomId.FIRST_RESERVED ? 1 : rover + 1;
            if (!inUse(rover)) {
                return rover;
            }
        }
        throw new DomainCreateException(-Errno.ENOMEM, "no free domain id");
    }

    /** An id is in use until its domain is reaped (and its memory fully released). */
    private boolean inUse(int domid) {
        return domains.containsKey(domid) || hv.memory().domain(domid) != null;
    }

    /** Asks for {@code d} to be reaped once nothing of it is left. */
    void reapLater(Domain d) {
        reaper.set(hv.clock().now());
    }

    private void reap() {
        boolean pending = false;
        for (Domain d : domains.values()) {
            if (d.state() != DomainState.DYING) {
                continue;
            }
            if (d.isReapable()) {
                d.markDead();
                domains.remove(d.domid(), d);
                hv.evtchn().sendGlobalVirq(org.hvsim.hv.abi.Virq.DOM_EXC);
            } else {
                pending = true;
            }
        }
        if (pending) {
            reaper.set(hv.clock().now() + REAP_PERIOD_NS);
        }
    }

    /** Destroys every domain (host shutdown). */
    public void destroyAll() {
        Collection<Domain> all = list();
        for (Domain d : all) {
            d.kill();
        }
    }

    /** Thrown when a domain cannot be created; {@link #errno()} is the negated Xen errno. */
    public static final class DomainCreateException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int errno;

        public DomainCreateException(int errno, String message) {
            super(message);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}
