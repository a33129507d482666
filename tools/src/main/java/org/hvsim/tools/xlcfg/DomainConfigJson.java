package org.hvsim.tools.xlcfg;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DiskSpec;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.GuestType;
import org.hvsim.proto.control.LifecycleAction;
import org.hvsim.proto.control.VifSpec;

/**
 * A {@link DomainConfig} as {@code xl create -n} and {@code xl list -l} print it: xl's
 * {@code printf_info} object {@code {"domid": <n>|null, "config": <libxl_domain_config>}}, with the
 * domain config in the shape libxl's generated JSON has (libxl_types.idl field names and order; a field
 * at its default is left out, while nested structs such as {@code sched_params} and the guest-type union
 * {@code "type.pv"} always appear; enums as libxl's lower-case names; defbools as "True"/"False";
 * bitmaps as arrays of set bit numbers), written as yajl's beautifier writes it ({@link YajlGen}).
 *
 * <p>hvsim models fewer fields than libxl, so only those appear. A CPU affinity of {@code all} (which
 * libxl writes out for the host's CPUs) is printed as its CPULIST string, {@code "all"} or
 * {@code "all,^7"}, since the host's CPU count is not known here. A vCPU count beyond
 * {@link DomainConfigReader#MAX_VCPUS} (which no config read here has) is written out only up to that
 * bound, so the output stays bounded. Stateless.
 */
public final class DomainConfigJson {

    private DomainConfigJson() {
    }

    /**
     * What {@code xl create -n} prints: {@code libxl_domain_config_to_json}, the configuration object
     * alone (c_info, b_info, devices, actions).
     */
    public static String config(DomainConfig config) {
        YajlGen g = new YajlGen();
        config(g, config);
        return g.buffer();
    }

    /** One {@code printf_info} object, {@code {"domid": ..., "config": ...}}, ending in a newline. */
    public static String object(DomainConfig config, Integer domidOrNull) {
        YajlGen g = new YajlGen();
        domain(g, config, domidOrNull);
        return g.buffer();
    }

    /** What {@code xl list -l} prints: an array of such objects (xl adds a newline after the array). */
    public static String array(List<Map.Entry<Integer, DomainConfig>> domains) {
        YajlGen g = new YajlGen();
        g.arrayOpen();
        for (Map.Entry<Integer, DomainConfig> domain : domains) {
            domain(g, domain.getValue(), domain.getKey());
        }
        g.arrayClose();
        return g.buffer() + "\n";
    }

    private static void domain(YajlGen g, DomainConfig c, Integer domid) {
        g.mapOpen();
        g.string("domid");
        if (domid == null) {
            g.nul();
        } else {
            g.integer(domid);
        }
        g.string("config");
        config(g, c);
        g.mapClose();
    }

    private static void config(YajlGen g, DomainConfig c) {
        g.mapOpen();
        g.string("c_info");
        createInfo(g, c);
        g.string("b_info");
        buildInfo(g, c);
        if (c.getDisksCount() > 0) {
            g.string("disks");
            g.arrayOpen();
            c.getDisksList().forEach(d -> disk(g, d));
            g.arrayClose();
        }
        if (c.getVifsCount() > 0) {
            g.string("nics");
            g.arrayOpen();
            c.getVifsList().forEach(v -> nic(g, v));
            g.arrayClose();
        }
        action(g, "on_poweroff", c.getOnPoweroff());
        action(g, "on_reboot", c.getOnReboot());
        action(g, "on_watchdog", c.getOnWatchdog());
        action(g, "on_crash", c.getOnCrash());
        action(g, "on_soft_reset", c.getOnSoftReset());
        g.mapClose();
    }

    private static void createInfo(YajlGen g, DomainConfig c) {
        g.mapOpen();
        if (c.getType() != GuestType.GUEST_TYPE_UNSPECIFIED) {
            g.entry("type", GuestTypes.libxlName(c.getType()));
        }
        optional(g, "ssid_label", c.getSeclabel());
        optional(g, "name", c.getName());
        optional(g, "uuid", c.getUuid());
        optional(g, "pool_name", c.getPool());
        g.mapClose();
    }

    private static void buildInfo(YajlGen g, DomainConfig c) {
        g.mapOpen();
        if (c.getMaxVcpus() != 0) {
            g.string("max_vcpus");
            g.unsignedInteger(Integer.toUnsignedLong(c.getMaxVcpus()));
        }
        if (c.getVcpus() != 0) {
            g.string("avail_vcpus");
            g.arrayOpen();
            for (long i = 0; i < Math.min(Integer.toUnsignedLong(c.getVcpus()), DomainConfigReader.MAX_VCPUS); i++) {
                g.integer(i);
            }
            g.arrayClose();
        }
        int vcpus = Math.max(1, Math.min(DomainConfigReader.MAX_VCPUS,
                c.getMaxVcpus() != 0 ? c.getMaxVcpus() : c.getVcpus()));
        affinity(g, "vcpu_hard_affinity", c.getCpusList(), vcpus);
        affinity(g, "vcpu_soft_affinity", c.getCpusSoftList(), vcpus);
        unsignedIfSet(g, "max_memkb", c.getMaxMemkb());
        unsignedIfSet(g, "target_memkb", c.getTargetMemkb());
        unsignedIfSet(g, "max_grant_frames", Integer.toUnsignedLong(c.getMaxGrantFrames()));
        unsignedIfSet(g, "max_maptrack_frames", Integer.toUnsignedLong(c.getMaxMaptrackFrames()));
        g.string("sched_params");
        g.mapOpen();
        unsignedIfSet(g, "weight", Integer.toUnsignedLong(c.getCpuWeight()));
        unsignedIfSet(g, "cap", Integer.toUnsignedLong(c.getCap()));
        g.mapClose();
        unsignedIfSet(g, "event_channels", Integer.toUnsignedLong(c.getMaxEventChannels()));
        optional(g, "kernel", c.getKernel());
        optional(g, "cmdline", c.getCmdline());
        optional(g, "ramdisk", c.getRamdisk());
        optional(g, "bootloader", c.getBootloader());
        g.string("type." + GuestTypes.libxlName(c.getType()));
        g.mapOpen();
        if (c.getType() == GuestType.GUEST_TYPE_HVM) {
            for (String struct : new String[] {"vga", "vnc", "sdl", "spice", "rdm"}) {
                g.string(struct);
                g.mapOpen();
                g.mapClose();
            }
        }
        g.mapClose();
        for (String arch : new String[] {"arch_arm", "arch_x86"}) {
            g.string(arch);
            g.mapOpen();
            g.mapClose();
        }
        g.mapClose();
    }

    /** An affinity array; one entry stands for every vCPU, as xl writes a CPULIST string out per vCPU. */
    private static void affinity(YajlGen g, String key, List<CpuSet> sets, int vcpus) {
        if (sets.isEmpty()) {
            return;
        }
        g.string(key);
        g.arrayOpen();
        int count = sets.size() == 1 ? vcpus : sets.size();
        for (int i = 0; i < count; i++) {
            CpuSet set = sets.get(Math.min(i, sets.size() - 1));
            if (set.getAll()) {
                g.string(CpuList.format(set));
                continue;
            }
            g.arrayOpen();
            TreeSet<Integer> cpus = new TreeSet<>(set.getCpusList());
            cpus.forEach(cpu -> g.unsignedInteger(Integer.toUnsignedLong(cpu)));
            g.arrayClose();
        }
        g.arrayClose();
    }

    private static void disk(YajlGen g, DiskSpec d) {
        g.mapOpen();
        optional(g, "backend_domname", d.getBackend());
        optional(g, "pdev_path", d.getTarget());
        optional(g, "vdev", d.getVdev());
        optional(g, "backend", d.getBackendType());
        g.entry("format", d.getFormat().isEmpty() ? "raw" : d.getFormat());
        optional(g, "script", d.getScript());
        if (d.getCdrom()) {
            g.entry("removable", 1);
        }
        if (d.getReadwrite()) {
            g.entry("readwrite", 1);
        }
        if (d.getCdrom()) {
            g.entry("is_cdrom", 1);
        }
        if (d.getDirectIoSafe()) {
            g.string("direct_io_safe");
            g.bool(true);
        }
        if (d.hasDiscard()) {
            g.entry("discard_enable", defbool(d.getDiscard()));
        }
        optional(g, "specification", d.getSpecification());
        if (d.hasTrusted()) {
            g.entry("trusted", defbool(d.getTrusted()));
        }
        if (d.hasGrantUsage()) {
            g.entry("grant_usage", defbool(d.getGrantUsage()));
        }
        g.mapClose();
    }

    private static void nic(YajlGen g, VifSpec v) {
        g.mapOpen();
        optional(g, "backend_domname", v.getBackend());
        g.entry("devid", v.getDevid());
        unsignedIfSet(g, "mtu", Integer.toUnsignedLong(v.getMtu()));
        optional(g, "model", v.getModel());
        optional(g, "mac", v.getMac());
        optional(g, "ip", v.getIp());
        optional(g, "bridge", v.getBridge());
        optional(g, "ifname", v.getVifname());
        optional(g, "script", v.getScript());
        switch (v.getType()) {
            case "vif" -> g.entry("nictype", "vif");
            case "ioemu" -> g.entry("nictype", "vif_ioemu");
            default -> { }
        }
        if (!v.getRate().isEmpty()) {
            try {
                VifRate rate = VifRate.parse(v.getRate());
                g.string("rate_bytes_per_interval");
                g.unsignedInteger(rate.bytesPerInterval());
                g.entry("rate_interval_usecs", rate.intervalUsecs());
            } catch (XlSpecException e) {
                throw new IllegalArgumentException("vif " + v.getDevid() + " has an invalid rate: " + e.getMessage(), e);
            }
        }
        optional(g, "gatewaydev", v.getGatewaydev());
        g.mapClose();
    }

    private static void action(YajlGen g, String key, LifecycleAction action) {
        if (action != LifecycleAction.LIFECYCLE_ACTION_UNSPECIFIED && action != LifecycleAction.LIFECYCLE_ACTION_DESTROY
                && action != LifecycleAction.UNRECOGNIZED) {
            g.entry(key, LifecycleActions.libxlName(action));
        }
    }

    private static void optional(YajlGen g, String key, String value) {
        if (!value.isEmpty()) {
            g.entry(key, value);
        }
    }

    private static void unsignedIfSet(YajlGen g, String key, long value) {
        if (value != 0) {
            g.string(key);
            g.unsignedInteger(value);
        }
    }

    private static String defbool(boolean value) {
        return value ? "True" : "False";
    }
}
