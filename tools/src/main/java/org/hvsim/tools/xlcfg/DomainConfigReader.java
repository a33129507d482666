package org.hvsim.tools.xlcfg;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.GuestType;
import org.hvsim.proto.control.LifecycleAction;

/**
 * Turns a parsed configuration into a {@link DomainConfig} the way xl's {@code parse_config_data}
 * reads the keys hvsim models: name (mandatory), uuid, type/builder (default PV), pool, cpu_weight,
 * cap, memory/maxmem (MiB, stored as KiB; maxmem defaults to memory), vcpus/maxvcpus (maxvcpus
 * defaults to vcpus), cpus/cpus_soft, max_grant_frames, max_maptrack_frames, the five {@code on_*}
 * actions (with xl's defaults), max_event_channels, kernel, ramdisk, cmdline (or {@code root=<root>
 * <extra>}), bootloader, seclabel, xenstore_quota, disk and vif.
 *
 * <p>Static checks xl makes are made here (types, bounds, maxvcpus not below vcpus, a PV/PVH guest
 * needs a kernel or a bootloader); checks that need the host are dom0's. Where xl only warns about a
 * malformed value and uses the default, hvsim refuses the configuration. Every other key is accepted,
 * listed in {@code ignored_keys} and reported once as a warning. Not thread-safe; one per read.
 */
public final class DomainConfigReader {
    /**
     * The most vCPUs a configuration may ask for: Xen's limit for HVM guests ({@code HVM_MAX_VCPUS}),
     * applied by hvsim to every guest type. The host's own limit is dom0's to check.
     */
    public static final int MAX_VCPUS = 128;

    private static final long MAX_MIB = Long.MAX_VALUE / 1024;
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final XlSettingReader in;
    private final DomainConfig.Builder out = DomainConfig.newBuilder();
    private final ConfigWarnings warnings = new ConfigWarnings();
    private final Map<String, XlLocation> deviceLocations = new LinkedHashMap<>();
    private final String file;

    private DomainConfigReader(XlConfig config) {
        this.in = new XlSettingReader(config);
        this.file = config.sourceFile();
    }

    public static LoadedConfig read(XlConfig config) throws XlConfigException {
        return new DomainConfigReader(config).read();
    }

    private LoadedConfig read() throws XlConfigException {
        out.setSourceFile(file);
        in.string("seclabel").ifPresent(out::setSeclabel);
        readType();
        readIdentity();
        readScheduling();
        readMemory();
        readVcpus();
        int vcpus = Math.max(1, out.getMaxVcpus());
        out.addAllCpus(CpuAffinityReader.read(in, "cpus", vcpus, warnings, deviceLocations));
        out.addAllCpusSoft(CpuAffinityReader.read(in, "cpus_soft", vcpus, warnings, deviceLocations));
        in.number("max_grant_frames", 0, Integer.MAX_VALUE).ifPresent(v -> out.setMaxGrantFrames((int) v));
        in.number("max_maptrack_frames", 0, Integer.MAX_VALUE).ifPresent(v -> out.setMaxMaptrackFrames((int) v));
        out.setOnPoweroff(action("on_poweroff", "destroy"));
        out.setOnReboot(action("on_reboot", "restart"));
        out.setOnWatchdog(action("on_watchdog", "destroy"));
        out.setOnCrash(action("on_crash", "destroy"));
        out.setOnSoftReset(action("on_soft_reset", "soft-reset"));
        in.number("max_event_channels", 0, 0xffff_ffffL).ifPresent(v -> out.setMaxEventChannels((int) v));
        readBoot();
        XenstoreQuotaReader.read(in, out);
        DeviceListReader.read(in, out, warnings, deviceLocations);
        recordLocationsAndIgnoredKeys();
        return new LoadedConfig(out.build(), warnings.lines());
    }

    private void readType() throws XlConfigException {
        GuestType type = GuestType.GUEST_TYPE_UNSPECIFIED;
        Optional<XlAtom> typeName = in.atom("type");
        if (typeName.isPresent()) {
            type = GuestTypes.fromType(typeName.get().text()).orElseThrow(() -> XlConfigException.at(
                    typeName.get().location(), "Invalid domain type " + typeName.get().text() + "."));
        }
        Optional<XlAtom> builder = in.atom("builder");
        if (builder.isPresent()) {
            GuestType built = GuestTypes.fromBuilder(builder.get().text()).orElseThrow(() -> XlConfigException.at(
                    builder.get().location(), "Invalid domain type " + builder.get().text() + "."));
            if (type != GuestType.GUEST_TYPE_UNSPECIFIED && type != built) {
                throw XlConfigException.at(builder.get().location(),
                        "Contradicting \"builder\" and \"type\" options specified.");
            }
            type = built;
        }
        out.setType(type == GuestType.GUEST_TYPE_UNSPECIFIED ? GuestType.GUEST_TYPE_PV : type);
    }

    private void readIdentity() throws XlConfigException {
        Optional<XlAtom> name = in.atom("name");
        if (name.isEmpty()) {
            throw new XlConfigException(XlLocation.wholeFile(file), file + ": Domain name must be specified.");
        }
        if (name.get().text().isEmpty()) {
            throw XlConfigException.at(name.get().location(), "Domain name must be specified.");
        }
        out.setName(name.get().text());
        Optional<XlAtom> uuid = in.atom("uuid");
        if (uuid.isPresent()) {
            if (!UUID.matcher(uuid.get().text()).matches()) {
                throw XlConfigException.at(uuid.get().location(),
                        "Failed to parse UUID: " + XlText.printable(uuid.get().text()));
            }
            out.setUuid(uuid.get().text().toLowerCase(Locale.ROOT));
        }
        in.string("pool").ifPresent(out::setPool);
    }

    private void readScheduling() throws XlConfigException {
        in.number("cpu_weight", 1, 65535).ifPresent(v -> out.setCpuWeight((int) v));
        in.number("cap", 0, Integer.MAX_VALUE).ifPresent(v -> out.setCap((int) v));
    }

    private void readMemory() throws XlConfigException {
        OptionalLong memory = in.number("memory", 1, MAX_MIB);
        OptionalLong maxmem = in.number("maxmem", 1, MAX_MIB);
        memory.ifPresent(v -> out.setTargetMemkb(v * 1024));
        if (maxmem.isPresent()) {
            if (memory.isPresent() && maxmem.getAsLong() < memory.getAsLong()) {
                throw XlConfigException.at(valueLocation("maxmem"), "maxmem (" + maxmem.getAsLong()
                        + " MiB) is smaller than memory (" + memory.getAsLong() + " MiB)");
            }
            out.setMaxMemkb(maxmem.getAsLong() * 1024);
        } else {
            memory.ifPresent(v -> out.setMaxMemkb(v * 1024));
        }
    }

    private void readVcpus() throws XlConfigException {
        OptionalLong vcpus = in.number("vcpus", 1, MAX_VCPUS);
        OptionalLong maxvcpus = in.number("maxvcpus", 1, MAX_VCPUS);
        vcpus.ifPresent(v -> out.setVcpus((int) v));
        if (maxvcpus.isPresent()) {
            if (vcpus.isPresent() && maxvcpus.getAsLong() < vcpus.getAsLong()) {
                throw XlConfigException.at(valueLocation("maxvcpus"), "maxvcpus < vcpus");
            }
            out.setMaxVcpus((int) maxvcpus.getAsLong());
        } else {
            vcpus.ifPresent(v -> out.setMaxVcpus((int) v));
        }
    }

    private LifecycleAction action(String key, String defaultName) throws XlConfigException {
        Optional<XlAtom> atom = in.atom(key);
        String name = atom.map(XlAtom::text).orElse(defaultName);
        return LifecycleActions.fromXlName(name).orElseThrow(() -> XlConfigException.at(
                atom.orElseThrow().location(),
                "Unknown " + key + " action \"" + XlText.printable(name) + "\" specified"));
    }

    private void readBoot() throws XlConfigException {
        Optional<XlAtom> kernel = in.atom("kernel");
        kernel.ifPresent(k -> out.setKernel(k.text()));
        in.string("ramdisk").ifPresent(out::setRamdisk);
        Optional<XlAtom> cmdline = in.atom("cmdline");
        Optional<String> root = in.string("root");
        Optional<String> extra = in.string("extra");
        if (cmdline.isPresent()) {
            out.setCmdline(cmdline.get().text());
            if (root.isPresent() || extra.isPresent()) {
                warnings.add(cmdline.get().location(), "ignoring root= and extra= in favour of cmdline=");
            }
        } else if (root.isPresent()) {
            out.setCmdline("root=" + root.get() + extra.map(e -> " " + e).orElse(""));
        } else {
            extra.ifPresent(out::setCmdline);
        }
        in.string("bootloader").ifPresent(out::setBootloader);
        if (out.getType() == GuestType.GUEST_TYPE_HVM && kernel.isPresent()
                && baseName(kernel.get().text()).equals("hvmloader")) {
            out.clearKernel();
            warnings.add(kernel.get().location(), "you seem to be using \"kernel\" directive to override HVM guest"
                    + " firmware. Ignore that. Use \"firmware_override\" instead if you really want a"
                    + " non-default firmware");
        }
        // Unlike Xen's xl, no kernel is not an error: the host's built-in kernel (minios) is the default.
    }

    private void recordLocationsAndIgnoredKeys() {
        in.valueLocations().forEach((key, at) -> out.putLocations(key, at.toProto()));
        deviceLocations.forEach((key, at) -> out.putLocations(key, at.toProto()));
        for (String key : in.unconsumedKeys()) {
            out.addIgnoredKeys(key);
            warnings.add(in.config().find(key).orElseThrow().keyLocation(),
                    "key '" + key + "' is not modelled by hvsim; ignored");
        }
    }

    private XlLocation valueLocation(String key) {
        return in.config().find(key).orElseThrow().value().location();
    }

    private static String baseName(String path) {
        String trimmed = path;
        while (trimmed.endsWith("/") && trimmed.length() > 1) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
