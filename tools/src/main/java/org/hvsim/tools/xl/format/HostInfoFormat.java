package org.hvsim.tools.xl.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hvsim.proto.control.HostInfo;

/**
 * {@code xl info} (xl_info.c): {@code "%-23s: value"} lines in Xen's order (uname of dom0, physinfo, with
 * {@code -n} the CPU, device and NUMA topology tables, Xen's version info, with {@code -x} the xenstore
 * features, and {@code xend_config_format} last). Memory is in MiB.
 *
 * <p>{@code xl info <key>} goes through {@link #select}: only key/value lines take part, tables never do.
 *
 * <p>hvsim hosts have one NUMA node holding every CPU and all memory, and no PCI devices; the
 * {@code -n} tables are derived from that and from the CPU counts. {@code HostInfo} has no xenstore
 * feature word, so {@code -x} prints 0, which is what xl prints when xenstored does not report one.
 */
public final class HostInfoFormat {
    /** ACPI SLIT's distance of a node to itself, what Xen reports for a single node. */
    private static final int LOCAL_DISTANCE = 10;
    private static final int HW_CAP_WORDS = 8;

    private HostInfoFormat() {
    }

    /** One line of output: a {@code key : value} line that a key can select, or a table line that it cannot. */
    public record Line(String text, boolean keyValue) {
    }

    public static List<Line> lines(HostInfo h, boolean numa, boolean xenstore) {
        List<Line> out = new ArrayList<>(48);
        kv(out, "host", h.getHost());
        kv(out, "release", h.getRelease());
        kv(out, "version", h.getVersion());
        kv(out, "machine", h.getMachine());
        kv(out, "nr_cpus", unsigned(h.getNrCpus()));
        kv(out, "max_cpu_id", unsigned(h.getMaxCpuId()));
        kv(out, "nr_nodes", unsigned(h.getNrNodes()));
        kv(out, "cores_per_socket", unsigned(h.getCoresPerSocket()));
        kv(out, "threads_per_core", unsigned(h.getThreadsPerCore()));
        long khz = Integer.toUnsignedLong(h.getCpuKhz());
        kv(out, "cpu_mhz", String.format(Locale.ROOT, "%d.%03d", khz / 1000, khz % 1000));
        kv(out, "hw_caps", hwCaps(h));
        StringBuilder virtCaps = new StringBuilder();
        for (String cap : h.getVirtCapsList()) {
            virtCaps.append(' ').append(cap);
        }
        out.add(new Line(key("virt_caps") + ":" + virtCaps + "\n", true));
        kv(out, "total_memory", Long.toUnsignedString(h.getTotalMemory()));
        kv(out, "free_memory", Long.toUnsignedString(h.getFreeMemory()));
        kv(out, "sharing_freed_memory", Long.toUnsignedString(h.getSharingFreedMemory()));
        kv(out, "sharing_used_memory", Long.toUnsignedString(h.getSharingUsedMemory()));
        kv(out, "outstanding_claims", Long.toUnsignedString(h.getOutstandingClaims()));
        kv(out, "free_cpus", unsigned(h.getFreeCpus()));
        if (numa) {
            topology(out, h);
            numaInfo(out, h);
        }
        kv(out, "xen_major", unsigned(h.getXenMajor()));
        kv(out, "xen_minor", unsigned(h.getXenMinor()));
        kv(out, "xen_extra", h.getXenExtra());
        kv(out, "xen_version", unsigned(h.getXenMajor()) + "." + unsigned(h.getXenMinor()) + h.getXenExtra());
        kv(out, "xen_caps", h.getXenCaps());
        kv(out, "xen_scheduler", h.getXenScheduler());
        kv(out, "xen_pagesize", unsigned(h.getXenPagesize()));
        kv(out, "platform_params", h.getPlatformParams());
        kv(out, "xen_changeset", h.getXenChangeset());
        kv(out, "xen_commandline", h.getXenCommandline());
        kv(out, "cc_compiler", h.getCcCompiler());
        kv(out, "cc_compile_by", h.getCcCompileBy());
        kv(out, "cc_compile_domain", h.getCcCompileDomain());
        kv(out, "cc_compile_date", h.getCcCompileDate());
        kv(out, "build_id", h.getBuildId());
        if (xenstore) {
            kv(out, "xenstore_features", "0x00000000");
        }
        kv(out, "xend_config_format", "4");
        return out;
    }

    /**
     * What {@code xl info <name>} prints: the value (the text after {@code ": "}) of every key/value line
     * that starts with {@code name}, in order. Like xl, the match is on the start of the line, so a prefix
     * of a key selects every key it starts.
     */
    public static String select(List<Line> lines, String name) {
        StringBuilder out = new StringBuilder();
        for (Line line : lines) {
            String text = line.text();
            if (!line.keyValue() || !text.startsWith(name)) {
                continue;
            }
            int colon = text.indexOf(':');
            if (colon >= 0 && colon + 1 < text.length() && text.charAt(colon + 1) == ' ') {
                out.append(text, colon + 2, text.length());
            }
        }
        return out.toString();
    }

    /** Every line, as {@code xl info} without a key prints them. */
    public static String all(List<Line> lines) {
        StringBuilder out = new StringBuilder();
        for (Line line : lines) {
            out.append(line.text());
        }
        return out.toString();
    }

    private static void topology(List<Line> out, HostInfo h) {
        table(out, "cpu_topology           :\n");
        table(out, "cpu:    core    socket     node\n");
        long threads = Math.max(1, Integer.toUnsignedLong(h.getThreadsPerCore()));
        long cores = Math.max(1, Integer.toUnsignedLong(h.getCoresPerSocket()));
        if (Integer.toUnsignedLong(h.getNrNodes()) <= 1) {
            for (long cpu = 0; cpu < Integer.toUnsignedLong(h.getNrCpus()); cpu++) {
                long core = (cpu / threads) % cores;
                long socket = cpu / (threads * cores);
                table(out, String.format(Locale.ROOT, "%3d:    %4d     %4d     %4d\n", cpu, core, socket, 0));
            }
        }
        table(out, "device topology        :\n");
        table(out, "device           node\n");
        table(out, "No device topology data available\n");
    }

    private static void numaInfo(List<Line> out, HostInfo h) {
        table(out, "numa_info              :\n");
        table(out, "node:    memsize    memfree    distances\n");
        if (Integer.toUnsignedLong(h.getNrNodes()) <= 1) {
            table(out, String.format(Locale.ROOT, "%4d:    %6s     %6s      %d\n", 0,
                    Long.toUnsignedString(h.getTotalMemory()), Long.toUnsignedString(h.getFreeMemory()),
                    LOCAL_DISTANCE));
        }
    }

    private static String hwCaps(HostInfo h) {
        StringBuilder caps = new StringBuilder();
        for (int i = 0; i < HW_CAP_WORDS; i++) {
            if (i > 0) {
                caps.append(':');
            }
            int word = i < h.getHwCapsCount() ? h.getHwCaps(i) : 0;
            caps.append(String.format(Locale.ROOT, "%08x", word));
        }
        return caps.toString();
    }

    private static void kv(List<Line> out, String key, String value) {
        out.add(new Line(key(key) + ": " + value + "\n", true));
    }

    private static void table(List<Line> out, String text) {
        out.add(new Line(text, false));
    }

    private static String key(String key) {
        return Text.padRight(key, 23);
    }

    private static String unsigned(int value) {
        return Integer.toUnsignedString(value);
    }
}
