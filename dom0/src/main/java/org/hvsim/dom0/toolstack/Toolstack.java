package org.hvsim.dom0.toolstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.xen.Dom0Platform;
import org.hvsim.dom0.xen.Xc;
import org.hvsim.dom0.xen.XenError;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.hv.abi.xenstore.WorkloadResult;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DomainConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The toolstack (libxl's role): creates domains from validated configurations, resolves domain names,
 * destroys, pauses, shuts down and renames them, and applies their lifecycle actions when the
 * hypervisor reports a shutdown (VIRQ_DOM_EXC). Its state survives a dom0 restart.
 * Threads: request threads call the operations; the "toolstack-events" thread handles VIRQ_DOM_EXC.
 */
public final class Toolstack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Toolstack.class);
    /** Name of domain 0, as xl shows it. */
    public static final String DOM0_NAME = "Domain-0";

    private final Dom0Platform platform;
    private final Xc xc;
    private final Xenconsoled consoles;
    private final DomainStore store;
    private final DiskDevices disks;
    private final DomainRegistry registry;
    private final DomainConfigValidator validator;
    private final DomainBuilder builder;
    private final LifecycleHandler lifecycle;
    private final int nrCpus;
    private final ExecutorService events = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("toolstack-events").daemon().factory());
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    /** Domains destroyed but not yet gone from the hypervisor: their death is reported when they are. */
    private final java.util.Map<Integer, ManagedDomain> dying = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param xenstored dom0's xenstored, whose INTRODUCE requests map rings through {@code rings}
     */
    public Toolstack(Dom0Platform platform, Path home, KernelResolver kernels, Xenconsoled consoles, Xenstored xenstored,
            StoreRings rings) throws IOException {
        this.platform = platform;
        this.xc = platform.xc();
        this.consoles = consoles;
        this.store = new DomainStore(xenstored, rings);
        this.disks = new DiskDevices(store);
        this.nrCpus = xc.physinfo().nrCpus();
        this.registry = new DomainRegistry(home.resolve("toolstack"));
        this.validator = new DomainConfigValidator(kernels);
        this.builder = new DomainBuilder(platform, nrCpus);
        this.lifecycle = new LifecycleHandler(this, new CoreDumper(platform.foreign()), home.resolve("dump"));
    }

    /**
     * Takes over the host: a first dom0 starts afresh; a restarted one ({@code recover}) first resets
     * the event channels its predecessor left, clears its foreign mappings, and re-attaches to the
     * domains it managed. Then listens for VIRQ_DOM_EXC.
     */
    public void start(boolean recover) throws IOException {
        if (recover) {
            new ToolstackRecovery(platform, registry, consoles, store, validator).recover();
        } else {
            registry.clearPersisted();
        }
        platform.events().bindVirq(Virq.DOM_EXC, port -> queueReconcile());
        queueReconcile();
    }

    public int nrCpus() {
        return nrCpus;
    }

    Xc xc() {
        return xc;
    }

    /**
     * xl vcpu-pin: sets vCPU {@code vcpu}'s (every vCPU's for -1) hard and soft affinity; a null set is
     * left alone, but one must be given (libxl_set_vcpuaffinity). A vCPU the domain does not have, or a
     * hard affinity naming no pCPU of the host, is refused here with nothing changed (the hypervisor
     * would answer -EINVAL).
     */
    public void setVcpuAffinity(String qualifier, int vcpu, CpuSet hard, CpuSet soft) throws ConfigException {
        int domid = resolve(qualifier);
        int vcpus = xc.getDomainInfo(domid).maxVcpuId() + 1;
        if (vcpu < -1 || vcpu >= vcpus) {
            throw ConfigException.invalid(null, "vCPU " + vcpu + " does not exist: domain " + domid + " has vCPUs 0 to "
                    + (vcpus - 1));
        }
        if (hard == null && soft == null) {
            throw ConfigException.invalid(null, "neither a hard nor a soft affinity was given");
        }
        BitSet h = hard == null ? null : cpus(hard);
        BitSet s = soft == null ? null : cpus(soft);
        if (h != null && h.isEmpty()) {
            throw ConfigException.invalid(null, "the hard affinity names no pCPU of this host (pCPUs 0 to "
                    + (nrCpus - 1) + ")");
        }
        if (vcpu >= 0) {
            xc.setVcpuAffinity(domid, vcpu, h, s, nrCpus);
            return;
        }
        for (int v = 0; v < vcpus; v++) {
            xc.setVcpuAffinity(domid, v, h, s, nrCpus);
        }
    }

    /**
     * xl vcpu-set (libxl_set_vcpuonline): vCPUs {@code 0..count-1} online and the rest offline, written to the
     * domain's {@code ~/cpu/<N>/availability} in one transaction; its kernel brings them up or takes them down.
     * {@code count} (unsigned) must be 1 to the domain's maxvcpus, with libxl's messages; nothing is written
     * otherwise. Domain 0's vCPUs are fixed in hvsim.
     */
    public void setVcpuOnline(String qualifier, long count) throws ConfigException {
        int domid = resolve(qualifier);
        if (domid == DomId.DOM0) {
            throw ConfigException.invalid(null, "domain 0's vCPUs are fixed in hvsim");
        }
        int maxVcpus;
        try {
            maxVcpus = xc.getDomainInfo(domid).maxVcpuId() + 1;
        } catch (XenError e) {
            throw new ConfigException(e.errno() == Errno.ESRCH ? ConfigException.Kind.NOT_FOUND
                    : ConfigException.Kind.FAILED_PRECONDITION, null, "Getting domain info list: " + e.getMessage());
        }
        if (count == 0) {
            throw ConfigException.invalid(null, "Requested 0 VCPUs!");
        }
        if (count > maxVcpus) {
            throw ConfigException.invalid(null, "Requested " + count + " VCPUs, however maxcpus is " + maxVcpus + "!");
        }
        store.writeVcpuAvailability(domid, count, maxVcpus);
    }

    /** How long device backends get to answer attach and detach (10 s unless set; tests set less). */
    public void deviceTimeout(java.time.Duration timeout) {
        disks.timeout(timeout);
    }

    /**
     * xl block-attach: disk {@code disk} for the domain {@code qualifier} names ({@link DiskDevices#attach}).
     *
     * @throws ConfigException NOT_FOUND (no such domain), INVALID (domain 0, or a disk without a device number or
     *         target), ALREADY_EXISTS (a disk with its device number), FAILED_PRECONDITION (no backend took it)
     */
    public void attachDisk(String qualifier, org.hvsim.proto.control.DiskSpec disk) throws ConfigException {
        int domid = resolve(qualifier);
        if (domid == DomId.DOM0) {
            throw ConfigException.invalid("disk", "domain 0 has no block frontend in hvsim");
        }
        disks.attach(domid, disk);
    }

    /**
     * xl block-detach: disk {@code device} (a device number or a vdev) of the domain {@code qualifier} names
     * ({@link DiskDevices#detach}).
     *
     * @throws ConfigException NOT_FOUND for a domain, or a device it does not have ("Error: Device X not connected.")
     */
    public void detachDisk(String qualifier, String device, boolean force) throws ConfigException {
        disks.detach(resolve(qualifier), device, force);
    }

    /** xl block-list: the disks of the domain {@code qualifier} names, as their xenstore directories say. */
    public List<VbdLayout.Info> disks(String qualifier) throws ConfigException {
        return store.disks(resolve(qualifier));
    }

    /**
     * xl workload-result: the JSON object the domain's workload left in {@code data/workload-result}.
     *
     * @throws ConfigException NOT_FOUND for an unknown domain or one that left no result; FAILED_PRECONDITION
     *         when what it left is not one JSON object of at most {@link WorkloadResult#MAX_BYTES} bytes
     */
    public String workloadResult(String qualifier) throws ConfigException {
        int domid = resolve(qualifier);
        String text = store.workloadResult(domid).orElseThrow(() -> new ConfigException(ConfigException.Kind.NOT_FOUND,
                null, "Domain " + domid + " (" + nameOf(domid) + ") has left no workload result"));
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > WorkloadResult.MAX_BYTES
                || !JsonObjects.isObject(text)) {
            throw new ConfigException(ConfigException.Kind.FAILED_PRECONDITION, null, "Domain " + domid
                    + "'s workload result is not one JSON object of at most " + WorkloadResult.MAX_BYTES + " bytes");
        }
        return text;
    }

    /** The pCPUs of this host {@code set} names (pCPUs beyond the host are not in it). */
    private BitSet cpus(CpuSet set) {
        BitSet bits = new BitSet();
        if (set.getAll()) {
            bits.set(0, nrCpus);
            for (int cpu : set.getExcludedList()) {
                if (cpu >= 0 && cpu < nrCpus) {
                    bits.clear(cpu);
                }
            }
        } else {
            for (int cpu : set.getCpusList()) {
                if (cpu >= 0 && cpu < nrCpus) {
                    bits.set(cpu);
                }
            }
        }
        return bits;
    }

    /** The credit scheduler's parameters (xl sched-credit). */
    public SchedCredit schedCredit() {
        return new SchedCredit(xc);
    }

    Xenconsoled consoles() {
        return consoles;
    }

    DomainStore store() {
        return store;
    }

    DomainRegistry registry() {
        return registry;
    }

    /** How often the domain with {@code uuid} was restarted in the last minute (read on the event thread). */
    int recentRestarts(String uuid) throws InterruptedException, ExecutionException {
        return events.submit(() -> lifecycle.recentRestarts(uuid)).get();
    }

    java.util.Map<Integer, ManagedDomain> dying() {
        return dying;
    }

    public Dom0Platform platform() {
        return platform;
    }

    // ---------------------------------------------------------------------------------------------
    // Names
    // ---------------------------------------------------------------------------------------------

    /** The domain a command names (libxl_domain_qualifier_to_domid: a number is an id, else a name). */
    public int resolve(String qualifier) throws ConfigException {
        if (!qualifier.isEmpty() && qualifier.length() <= 10 && qualifier.chars().allMatch(Character::isDigit)) {
            long id = Long.parseLong(qualifier);
            if (id < DomId.FIRST_RESERVED && exists((int) id)) {
                return (int) id;
            }
        } else if (DOM0_NAME.equals(qualifier)) {
            return DomId.DOM0;
        } else {
            Optional<ManagedDomain> m = registry.byName(qualifier);
            if (m.isPresent() && exists(m.get().domid())) {
                return m.get().domid();
            }
        }
        throw new ConfigException(ConfigException.Kind.NOT_FOUND, null, "Domain '" + qualifier + "' does not exist.");
    }

    private boolean exists(int domid) {
        try {
            xc.getDomainInfo(domid);
            return true;
        } catch (XenError e) {
            return false;
        }
    }

    /** The name of {@code domid}: Domain-0, the toolstack's name for it, or "(null)" for one it does not know. */
    public String nameOf(int domid) {
        if (domid == DomId.DOM0) {
            return DOM0_NAME;
        }
        return registry.get(domid).map(ManagedDomain::name).orElse("(null)");
    }

    public Optional<DomainConfig> configOf(int domid) {
        return registry.get(domid).map(m -> m.spec().config());
    }

    /** When the toolstack created {@code domid} (seconds since the epoch), if it did. */
    public Optional<Long> startTimeOf(int domid) {
        return registry.get(domid).map(ManagedDomain::startTime);
    }

    // ---------------------------------------------------------------------------------------------
    // Operations
    // ---------------------------------------------------------------------------------------------

    /** Creates and (unless {@code paused}) starts a domain; returns it. */
    public CreatedDomain create(DomainConfig config, boolean paused) throws ConfigException {
        long freeKb = xc.physinfo().freePages() * 4;
        DomainSpec spec = validator.validate(config, new HostFacts(nrCpus, freeKb, this::nameInUse));
        return start(spec, paused);
    }

    /** Builds, registers, connects the console of, and unless paused unpauses a domain. */
    CreatedDomain start(DomainSpec spec, boolean paused) throws ConfigException {
        synchronized (registry) {
            if (nameInUse(spec.name())) {
                throw new ConfigException(ConfigException.Kind.ALREADY_EXISTS, "name", "Domain '" + spec.name() + "' already exists.");
            }
            BuiltDomain built = builder.build(spec);
            ManagedDomain m = new ManagedDomain(built.domid(), spec, System.currentTimeMillis() / 1000, built.consoleMfn(),
                    built.consoleGuestPort(), built.extents());
            m.setStore(built.storeMfn(), built.storeGuestPort());
            try {
                m.setConsolePtPfn(consoles.attach(built.domid(), spec.name(), built.consoleMfn(), built.consoleGuestPort()));
                registry.put(m);
                store.introduce(m);
                registry.save(m);
                if (!paused) {
                    xc.unpauseDomain(built.domid());
                }
            } catch (IOException | XenError | ConfigException | XenstoreException | IllegalStateException e) {
                store.remove(built.domid(), spec.uuid());
                consoles.detach(built.domid());
                registry.remove(built.domid());
                DomainBuilder.destroyQuietly(xc, built.domid());
                throw e instanceof ConfigException c ? c
                        : new ConfigException(ConfigException.Kind.FAILED_PRECONDITION, null, "cannot start domain "
                                + built.domid() + ": " + e.getMessage());
            }
            return new CreatedDomain(built.domid(), spec.name(), spec.uuid().toString());
        }
    }

    private boolean nameInUse(String name) {
        return DOM0_NAME.equals(name) || registry.byName(name).isPresent();
    }

    /** xl destroy: domain 0 only with {@code force} (and even then Xen refuses). */
    public void destroy(String qualifier, boolean force) throws ConfigException {
        int domid = resolve(qualifier);
        if (domid == DomId.DOM0) {
            throw new ConfigException(ConfigException.Kind.INVALID, null, force
                    ? "domain 0 cannot be destroyed: it runs the toolstack" : "refusing to destroy domain 0 (use -f)");
        }
        destroyDomain(domid);
    }

    /**
     * Removes the domain's XenStore nodes and releases it in xenstored (libxl__domain_destroy), disconnects
     * the console (so no mapping keeps the domain's memory) and destroys it; the domain is
     * forgotten now and its death reported once the hypervisor has reaped it.
     */
    void destroyDomain(int domid) throws ConfigException {
        store.remove(domid, registry.get(domid).map(m -> m.spec().uuid()).orElse(null));
        consoles.detach(domid);
        registry.get(domid).ifPresent(m -> {
            registry.remove(domid);
            dying.put(domid, m);
        });
        try {
            xc.destroyDomain(domid);
        } catch (XenError e) {
            if (e.errno() != Errno.ESRCH) {
                throw new ConfigException(ConfigException.Kind.FAILED_PRECONDITION, null, e.getMessage());
            }
        }
        queueReconcile();
    }

    public void pause(String qualifier) throws ConfigException {
        int domid = resolve(qualifier);
        control(domid, () -> xc.pauseDomain(domid), "pause");
    }

    public void unpause(String qualifier) throws ConfigException {
        int domid = resolve(qualifier);
        control(domid, () -> xc.unpauseDomain(domid), "unpause");
    }

    private static void control(int domid, Runnable op, String what) throws ConfigException {
        if (domid == DomId.DOM0) {
            throw new ConfigException(ConfigException.Kind.INVALID, null, "cannot " + what + " domain 0");
        }
        try {
            op.run();
        } catch (XenError e) {
            throw new ConfigException(e.errno() == Errno.ESRCH ? ConfigException.Kind.NOT_FOUND
                    : ConfigException.Kind.FAILED_PRECONDITION, null, e.getMessage());
        }
    }

    /**
     * xl shutdown / xl reboot (libxl_domain_shutdown/reboot): writes "poweroff" or "reboot" to the domain's
     * {@code ~/control/shutdown}, which its kernel watches, acknowledges and acts on. A guest that has not
     * published {@code control/feature-poweroff} (or {@code -reboot}) has no PV control interface: that is
     * refused unless {@code fallback} (xl's -F), which shuts it down from outside (SCHEDOP_remote_shutdown).
     * With {@code waitForShutdown} returns when it has shut down ({@code waitForDeath}: when it is gone).
     */
    public void shutdown(String qualifier, ShutdownReason reason, boolean waitForShutdown, boolean waitForDeath,
            Duration timeout, boolean fallback) throws ConfigException {
        int domid = resolve(qualifier);
        if (domid == DomId.DOM0) {
            throw new ConfigException(ConfigException.Kind.INVALID, null, "shut domain 0 down with 'hvsim stop'");
        }
        ManagedDomain m = registry.get(domid).orElse(null);
        String command = reason == ShutdownReason.REBOOT ? "reboot" : "poweroff";
        if (store.hasControlFeature(domid, command)) {
            try {
                store.controlShutdown(domid, command);
            } catch (XenstoreException e) {
                throw new ConfigException(e.error() == XsdError.ENOENT ? ConfigException.Kind.NOT_FOUND
                        : ConfigException.Kind.FAILED_PRECONDITION, null, "cannot write control/shutdown of domain "
                        + domid + ": " + e.error());
            }
        } else if (fallback) {
            control(domid, () -> xc.remoteShutdown(domid, reason.code()), "shut down");
        } else {
            throw new ConfigException(ConfigException.Kind.FAILED_PRECONDITION, null, PV_CONTROL_UNAVAILABLE);
        }
        if (m == null || !(waitForShutdown || waitForDeath)) {
            return;
        }
        try {
            (waitForDeath ? m.death : m.shutdown).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ConfigException(ConfigException.Kind.FAILED_PRECONDITION, null, "domain " + domid
                    + " did not " + (waitForDeath ? "die" : "shut down") + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** xl's words when a guest has no PV control interface (xl_vmcontrol.c), with hvsim's -F. */
    public static final String PV_CONTROL_UNAVAILABLE = "PV control interface not available:"
            + " external graceful shutdown not possible.\nUse \"-F\" to fallback to a forced shutdown"
            + " (SCHEDOP_remote_shutdown).";

    /**
     * xl mem-set (libxl_set_memory_target): the domain's balloon target, written to {@code ~/memory/target}.
     * It may not exceed {@code ~/memory/static-max}.
     */
    public void setMemoryTarget(String qualifier, long targetKb) throws ConfigException {
        int domid = resolve(qualifier);
        if (domid == DomId.DOM0) {
            throw ConfigException.invalid(null, "domain 0's memory is fixed in hvsim");
        }
        long max = staticMaxKb(domid);
        if (targetKb <= 0) {
            throw ConfigException.invalid(null, "memory target must be positive; got " + targetKb + " KiB");
        }
        if (targetKb > max) {
            throw ConfigException.invalid(null, "memory_dynamic_max must be less than or equal to memory_static_max"
                    + " (" + targetKb + " KiB > " + max + " KiB)");
        }
        store.writeMemoryTarget(domid, targetKb);
    }

    /**
     * xl mem-max (libxl_domain_setmaxmem): the domain's maximum reservation (XEN_DOMCTL_max_mem) and
     * {@code ~/memory/static-max}; it may not fall below the target.
     */
    public void setMemoryMax(String qualifier, long maxKb) throws ConfigException {
        int domid = resolve(qualifier);
        if (domid == DomId.DOM0) {
            throw ConfigException.invalid(null, "domain 0's memory is fixed in hvsim");
        }
        long target = memoryKb(domid, "target");
        if (maxKb < target) {
            throw ConfigException.invalid(null, "memory_static_max must be greater than or equal to memory_dynamic_max"
                    + " (" + maxKb + " KiB < " + target + " KiB)");
        }
        control(domid, () -> xc.setMaxMem(domid, maxKb), "set the maximum memory of");
        store.writeStaticMax(domid, maxKb);
    }

    private long staticMaxKb(int domid) throws ConfigException {
        return memoryKb(domid, "static-max");
    }

    private long memoryKb(int domid, String key) throws ConfigException {
        try {
            return Long.parseLong(store.client().readString(XenstoreLayout.domainPath(domid) + "/memory/" + key));
        } catch (XenstoreException | NumberFormatException e) {
            throw new ConfigException(ConfigException.Kind.FAILED_PRECONDITION, null, "cannot get memory info from "
                    + XenstoreLayout.domainPath(domid) + "/memory/" + key);
        }
    }

    /** xl rename. */
    public void rename(String qualifier, String newName) throws ConfigException {
        int domid = resolve(qualifier);
        String name = DomainConfigValidator.name(newName);
        synchronized (registry) {
            ManagedDomain m = registry.get(domid).orElseThrow(() -> new ConfigException(ConfigException.Kind.INVALID, null,
                    "domain " + domid + " is not managed by this toolstack and cannot be renamed"));
            if (!name.equals(m.name()) && nameInUse(name)) {
                throw new ConfigException(ConfigException.Kind.ALREADY_EXISTS, "name", "Domain '" + name + "' already exists.");
            }
            m.setSpec(m.spec().renamed(name, m.spec().uuid()));
            registry.save(m);
            consoles.rename(domid, name);
            store.rename(domid, name);
        }
    }

    /**
     * xl's preserve_domain (rename-restart): gives {@code m} a new name and UUID, refusing with
     * ALREADY_EXISTS, and changing nothing, if another domain has that name.
     */
    void preserve(ManagedDomain m, String newName, UUID newUuid) throws ConfigException {
        synchronized (registry) {
            if (nameInUse(newName)) {
                throw new ConfigException(ConfigException.Kind.ALREADY_EXISTS, "name", "Domain '" + newName + "' already exists.");
            }
            m.setSpec(m.spec().renamed(newName, newUuid));
            registry.save(m);
            consoles.rename(m.domid(), newName);
            store.preserve(m.domid(), newName, newUuid);
        }
    }

    /** Domain information for xl list, in domid order. */
    public List<GetDomainInfo> domains() {
        return xc.listDomains();
    }

    /** Whether {@code info} says the domain is shut down, with which reason. */
    static boolean isShutdown(GetDomainInfo info) {
        return (info.flags() & Domctl.DOMINF_SHUTDOWN) != 0;
    }

    static int shutdownReason(GetDomainInfo info) {
        return (info.flags() >>> Domctl.DOMINF_SHUTDOWNSHIFT) & Domctl.DOMINF_SHUTDOWNMASK;
    }

    /** Looks at every domain again soon (coalesced): VIRQ_DOM_EXC, or after the toolstack acted. */
    void queueReconcile() {
        if (!events.isShutdown() && reconcileQueued.compareAndSet(false, true)) {
            events.execute(() -> {
                reconcileQueued.set(false);
                try {
                    lifecycle.reconcile();
                } catch (RuntimeException e) {
                    LOG.error("handling domain state changes failed", e);
                }
            });
        }
    }

    /** Stops handling events, after the one being handled (a restart in progress) finishes. */
    @Override
    public void close() {
        events.shutdown();
        try {
            if (!events.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("toolstack event handling did not finish within 30 s");
                events.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.shutdownNow();
        }
        store.close();
    }

    /** What create returns. */
    public record CreatedDomain(int domid, String name, String uuid) {}
}
