package org.hvsim.dom0.toolstack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hvsim.dom0.xenstore.core.Quota;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DiskSpec;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.GuestType;
import org.hvsim.proto.control.LifecycleAction;

/**
 * Checks a domain configuration (from any control-plane client: untrusted) and applies Xen's
 * defaults, giving a {@link DomainSpec}. Every size and count is bounded; a refusal names the xl.cfg
 * key at fault. Defaults are libxl's: 32 MiB of memory, maxmem = memory, 1 vCPU, maxvcpus = vcpus,
 * a generated UUID, on_poweroff destroy, on_reboot restart, on_watchdog destroy, on_crash destroy,
 * on_soft_reset soft-reset, 1023 event channels.
 */
public final class DomainConfigValidator {
    public static final long DEFAULT_MEMORY_KB = 32 << 10;
    public static final long MIN_MEMORY_KB = 1 << 10;
    public static final int MAX_VCPUS = 32;
    public static final int MAX_NAME_BYTES = 64;
    public static final int MAX_PATH_BYTES = 4096;
    public static final int MAX_DEVICES = 64;
    public static final int DEFAULT_GRANT_FRAMES = 64;
    public static final int DEFAULT_MAPTRACK_FRAMES = 1024;

    private final KernelResolver kernels;

    public DomainConfigValidator(KernelResolver kernels) {
        this.kernels = kernels;
    }

    /** At most this many {@code xenstore_quota} items. */
    public static final int MAX_XENSTORE_QUOTA_ITEMS = 32;

    /** Checks {@code xenstore_quota} items: {@code <quota>=<decimal>} with a quota xenstored knows. */
    static void xenstoreQuota(List<String> items) throws ConfigException {
        if (items.size() > MAX_XENSTORE_QUOTA_ITEMS) {
            throw ConfigException.invalid("xenstore_quota", "at most " + MAX_XENSTORE_QUOTA_ITEMS + " items");
        }
        for (String item : items) {
            String shown = bounded(item, 80);
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw ConfigException.invalid("xenstore_quota", "item \"" + shown + "\" is not <quota>=<value>");
            }
            String name = item.substring(0, eq).trim();
            boolean soft = name.startsWith(Quota.SOFT_PREFIX);
            String base = soft ? name.substring(Quota.SOFT_PREFIX.length()) : name;
            java.util.Optional<Quota> q = Quota.named(base);
            if (q.isEmpty() || (soft && !q.get().hasSoft())) {
                throw ConfigException.invalid("xenstore_quota", "item \"" + shown + "\": unknown quota \""
                        + bounded(name, 40) + "\"");
            }
            String value = item.substring(eq + 1).trim();
            if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
                throw ConfigException.invalid("xenstore_quota", "item \"" + shown + "\": the value must be a number");
            }
        }
    }

    public DomainSpec validate(DomainConfig c, HostFacts host) throws ConfigException {
        String name = name(c.getName());
        if (host.nameInUse().test(name)) {
            throw new ConfigException(ConfigException.Kind.ALREADY_EXISTS, "name", "Domain '" + name + "' already exists.");
        }
        UUID uuid = uuid(c.getUuid());
        if (c.getType() == GuestType.GUEST_TYPE_HVM || c.getType() == GuestType.GUEST_TYPE_PVH) {
            throw ConfigException.invalid("type", "hvsim runs PV guests only; type \""
                    + (c.getType() == GuestType.GUEST_TYPE_HVM ? "hvm" : "pvh") + "\" is not supported");
        }
        if (!c.getBootloader().isEmpty()) {
            throw ConfigException.invalid("bootloader", "bootloader \"" + bounded(c.getBootloader(), 80)
                    + "\" is not supported: hvsim boots kernels directly (kernel=)");
        }
        if (!c.getRamdisk().isEmpty()) {
            throw ConfigException.invalid("ramdisk", "hvsim kernels take no initial ramdisk");
        }
        long memKb = c.getTargetMemkb() == 0 && !c.containsLocations("memory") ? DEFAULT_MEMORY_KB : c.getTargetMemkb();
        long maxKb = c.getMaxMemkb() == 0 ? memKb : c.getMaxMemkb();
        if (memKb < MIN_MEMORY_KB || memKb % 4 != 0) {
            throw ConfigException.invalid("memory", "memory must be at least 1 MiB, in whole pages; got " + memKb + " KiB");
        }
        if (maxKb < memKb) {
            throw ConfigException.invalid("maxmem", "maxmem (" + maxKb / 1024 + " MiB) must be at least memory ("
                    + memKb / 1024 + " MiB)");
        }
        if (maxKb % 4 != 0) {
            throw ConfigException.invalid("maxmem", "maxmem must be whole pages; got " + maxKb + " KiB");
        }
        if (memKb + 4 > host.freeKb()) {
            throw new ConfigException(ConfigException.Kind.RESOURCE_EXHAUSTED, "memory", "not enough free memory: the domain "
                    + "needs " + memKb / 1024 + " MiB, the host has " + host.freeKb() / 1024 + " MiB free");
        }
        int vcpus = c.getVcpus() == 0 && !c.containsLocations("vcpus") ? 1 : c.getVcpus();
        if (vcpus < 1) {
            throw ConfigException.invalid("vcpus", "vcpus must be at least 1");
        }
        int maxVcpus = c.getMaxVcpus() == 0 ? vcpus : c.getMaxVcpus();
        if (maxVcpus < vcpus) {
            throw ConfigException.invalid("maxvcpus", "maxvcpus (" + maxVcpus + ") must be at least vcpus (" + vcpus + ")");
        }
        if (maxVcpus > MAX_VCPUS) {
            throw ConfigException.invalid(c.getMaxVcpus() == 0 ? "vcpus" : "maxvcpus",
                    "hvsim domains have at most " + MAX_VCPUS + " vCPUs; got " + maxVcpus);
        }
        if (c.getKernel().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw ConfigException.invalid("kernel", "kernel path longer than " + MAX_PATH_BYTES + " bytes");
        }
        Path kernel = kernels.resolve(c.getKernel());
        if (c.getCmdline().getBytes(StandardCharsets.UTF_8).length >= StartInfo.MAX_GUEST_CMDLINE) {
            throw ConfigException.invalid("cmdline", "the kernel command line is longer than "
                    + (StartInfo.MAX_GUEST_CMDLINE - 1) + " bytes");
        }
        List<BitSet> hard = affinity(c.getCpusList(), "cpus", maxVcpus, host.nrCpus());
        List<BitSet> soft = affinity(c.getCpusSoftList(), "cpus_soft", maxVcpus, host.nrCpus());
        if (c.getCpuWeight() > 65535) {
            throw ConfigException.invalid("cpu_weight", "cpu_weight must be 1..65535; got " + c.getCpuWeight());
        }
        if (c.getCap() > 100L * host.nrCpus()) {
            throw ConfigException.invalid("cap", "cap is a percentage of one pCPU, at most " + 100 * host.nrCpus()
                    + " on this host; got " + c.getCap());
        }
        int maxPort = c.getMaxEventChannels() == 0 ? EvtchnOp.DEFAULT_MAX_PORT : c.getMaxEventChannels();
        if (maxPort < 1 || maxPort >= EvtchnOp.NR_2L_CHANNELS) {
            throw ConfigException.invalid("max_event_channels", "max_event_channels must be 1.." + (EvtchnOp.NR_2L_CHANNELS - 1)
                    + " (the 2-level event channel ABI); got " + Integer.toUnsignedString(maxPort));
        }
        int grantFrames = c.getMaxGrantFrames() == 0 ? DEFAULT_GRANT_FRAMES : c.getMaxGrantFrames();
        int maptrack = c.getMaxMaptrackFrames() == 0 ? DEFAULT_MAPTRACK_FRAMES : c.getMaxMaptrackFrames();
        if (grantFrames < 1 || grantFrames > 4096 || maptrack < 1 || maptrack > 65536) {
            throw ConfigException.invalid(grantFrames < 1 || grantFrames > 4096 ? "max_grant_frames" : "max_maptrack_frames",
                    "grant table limits out of range (max_grant_frames 1..4096, max_maptrack_frames 1..65536)");
        }
        devices(c);
        xenstoreQuota(c.getXenstoreQuotaList());
        LifecycleAction onPoweroff = action(c.getOnPoweroff(), "on_poweroff", LifecycleAction.LIFECYCLE_ACTION_DESTROY);
        LifecycleAction onReboot = action(c.getOnReboot(), "on_reboot", LifecycleAction.LIFECYCLE_ACTION_RESTART);
        LifecycleAction onWatchdog = action(c.getOnWatchdog(), "on_watchdog", LifecycleAction.LIFECYCLE_ACTION_DESTROY);
        LifecycleAction onCrash = action(c.getOnCrash(), "on_crash", LifecycleAction.LIFECYCLE_ACTION_DESTROY);
        LifecycleAction onSoftReset = action(c.getOnSoftReset(), "on_soft_reset", LifecycleAction.LIFECYCLE_ACTION_SOFT_RESET);
        DomainConfig filled = c.toBuilder()
                .setName(name).setUuid(uuid.toString()).setType(GuestType.GUEST_TYPE_PV)
                .setTargetMemkb(memKb).setMaxMemkb(maxKb).setVcpus(vcpus).setMaxVcpus(maxVcpus)
                .setKernel(kernel.toString()).setMaxEventChannels(maxPort)
                .setMaxGrantFrames(grantFrames).setMaxMaptrackFrames(maptrack)
                .setOnPoweroff(onPoweroff).setOnReboot(onReboot).setOnWatchdog(onWatchdog).setOnCrash(onCrash)
                .setOnSoftReset(onSoftReset).build();
        return new DomainSpec(name, uuid, memKb / 4, maxKb / 4, vcpus, maxVcpus, kernel, c.getCmdline(), hard, soft,
                maxPort, grantFrames, maptrack, onPoweroff, onReboot, onWatchdog, onCrash, onSoftReset, filled);
    }

    /**
     * The specification of a configuration this toolstack validated and stored earlier (a restarted
     * dom0 reading its records): its defaults are filled in and it is trusted as it is.
     */
    public DomainSpec restore(DomainConfig c) {
        int nr = c.getMaxVcpus();
        return new DomainSpec(c.getName(), UUID.fromString(c.getUuid()), c.getTargetMemkb() / 4, c.getMaxMemkb() / 4,
                c.getVcpus(), nr, Path.of(c.getKernel()), c.getCmdline(), List.of(), List.of(), c.getMaxEventChannels(),
                c.getMaxGrantFrames(), c.getMaxMaptrackFrames(), c.getOnPoweroff(), c.getOnReboot(), c.getOnWatchdog(),
                c.getOnCrash(), c.getOnSoftReset(), c);
    }

    /** A valid domain name (also for xl rename). */
    public static String name(String name) throws ConfigException {
        if (name.isEmpty()) {
            throw ConfigException.invalid("name", "Domain name must be specified.");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw ConfigException.invalid("name", "domain name longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (name.chars().allMatch(Character::isDigit)) {
            throw ConfigException.invalid("name", "domain name '" + name + "' is all digits; xl would take it for a domain id");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (Character.isISOControl(ch) || Character.isWhitespace(ch) || ch == '/') {
                throw ConfigException.invalid("name", "domain name " + quote(name) + " has a space, '/' or control character");
            }
        }
        return name;
    }

    private static UUID uuid(String text) throws ConfigException {
        if (text.isEmpty()) {
            return UUID.randomUUID();
        }
        if (text.length() != 36) {
            throw ConfigException.invalid("uuid", "uuid " + quote(bounded(text, 60)) + " is not a UUID");
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid("uuid", "uuid " + quote(text) + " is not a UUID");
        }
    }

    private static List<BitSet> affinity(List<CpuSet> sets, String key, int maxVcpus, int nrCpus) throws ConfigException {
        if (sets.size() > maxVcpus) {
            throw ConfigException.invalid(key, key + " lists " + sets.size() + " vCPUs; the domain has " + maxVcpus);
        }
        List<BitSet> out = new ArrayList<>();
        for (int v = 0; v < sets.size(); v++) {
            CpuSet s = sets.get(v);
            if (s.getCpusCount() > 4096 || s.getExcludedCount() > 4096) {
                throw ConfigException.invalid(key, key + " lists too many pCPUs");
            }
            BitSet bits = new BitSet();
            if (s.getAll()) {
                bits.set(0, nrCpus);
                for (int cpu : s.getExcludedList()) {
                    if (cpu >= 0 && cpu < nrCpus) {
                        bits.clear(cpu);
                    }
                }
            } else {
                for (int cpu : s.getCpusList()) {
                    if (cpu < 0 || cpu >= nrCpus) {
                        throw ConfigException.invalid(key, "pCPU " + Integer.toUnsignedString(cpu) + " does not exist (the host has "
                                + nrCpus + " pCPUs: 0-" + (nrCpus - 1) + ")");
                    }
                    bits.set(cpu);
                }
            }
            if (bits.isEmpty()) {
                throw ConfigException.invalid(key, key + " leaves vCPU " + v + " no pCPU to run on");
            }
            out.add(bits.cardinality() == nrCpus ? null : bits);
        }
        if (out.size() == 1 && maxVcpus > 1) {
            BitSet one = out.get(0);
            out.clear();
            for (int v = 0; v < maxVcpus; v++) {
                out.add(one);
            }
        }
        return out;
    }

    private static void devices(DomainConfig c) throws ConfigException {
        if (c.getDisksCount() > MAX_DEVICES || c.getVifsCount() > MAX_DEVICES) {
            throw ConfigException.invalid(c.getDisksCount() > MAX_DEVICES ? "disk" : "vif", "more than " + MAX_DEVICES + " devices");
        }
        Set<String> vdevs = new HashSet<>();
        for (DiskSpec d : c.getDisksList()) {
            if (d.getVdev().isEmpty()) {
                throw ConfigException.invalid("disk", "disk " + quote(bounded(d.getSpec(), 80)) + " has no vdev");
            }
            if (!vdevs.add(d.getVdev())) {
                throw ConfigException.invalid("disk", "two disks are " + d.getVdev());
            }
        }
    }

    private static LifecycleAction action(LifecycleAction a, String key, LifecycleAction dflt) throws ConfigException {
        if (a == LifecycleAction.UNRECOGNIZED) {
            throw ConfigException.invalid(key, "unknown " + key + " action");
        }
        return a == LifecycleAction.LIFECYCLE_ACTION_UNSPECIFIED ? dflt : a;
    }

    private static String bounded(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }
}
