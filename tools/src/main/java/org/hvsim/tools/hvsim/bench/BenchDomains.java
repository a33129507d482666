package org.hvsim.tools.hvsim.bench;

import org.hvsim.proto.control.DomainConfig;
import org.hvsim.tools.xlcfg.XlConfigException;
import org.hvsim.tools.xlcfg.XlConfigLoader;

/**
 * The domains the benchmarks create, from {@code xl.cfg} text through xl's own parser (so they are exactly
 * what {@code xl create} would send): small single-vCPU guests of the built-in kernel.
 */
final class BenchDomains {
    /** Memory of a benchmark guest, MiB: as small as Mini-OS boots comfortably in. */
    static final int MEMORY_MIB = 8;

    private BenchDomains() {
    }

    /** An idle guest named {@code name}: boots, prints its banner, blocks. */
    static DomainConfig idle(String name) {
        return config(name, "app=idle");
    }

    /** A guest running {@code hcbench calls=N}, which prints its figures and powers off. */
    static DomainConfig hypercallBench(String name, long calls) {
        return config(name, "app=hcbench calls=" + calls);
    }

    /**
     * A guest running {@code evtchnbench}: {@code ports} extra ports bound, then {@code rounds} rounds of
     * {@code sends} sends on an IPI port, one figure per round; then it idles with its ports open.
     */
    static DomainConfig evtchnBench(String name, int ports, long sends, long rounds) {
        return config(name, "app=evtchnbench ports=" + ports + " sends=" + sends + " rounds=" + rounds);
    }

    /** A guest running {@code cpuburn} forever, of {@code cpu_weight} {@code weight} (0: the default). */
    static DomainConfig burner(String name, int weight) {
        return config(name, "app=cpuburn interval_ms=3600000", weight == 0 ? "" : "cpu_weight = " + weight + "\n");
    }

    /** A guest running {@code iolat}: wakes every {@code periodUs}, a report every {@code samples} wakes. */
    static DomainConfig ioLatency(String name, long periodUs, long samples) {
        return config(name, "app=iolat period_us=" + periodUs + " samples=" + samples, "");
    }

    /**
     * A guest of {@code memoryMib} running {@code cmdline} (a blkbench job) with one disk, xvda, of
     * {@code target}, kept after it powers off so that its result can be read.
     */
    static DomainConfig blockBench(String name, int memoryMib, String cmdline, String target) {
        return config(name, memoryMib, cmdline, "on_poweroff = \"preserve\"\ndisk = [ 'format=raw, vdev=xvda, "
                + "access=rw, target=" + target + "' ]\n");
    }

    private static DomainConfig config(String name, String cmdline) {
        return config(name, cmdline, "");
    }

    private static DomainConfig config(String name, String cmdline, String more) {
        return config(name, MEMORY_MIB, cmdline, "on_poweroff = \"destroy\"\n" + more);
    }

    private static DomainConfig config(String name, int memoryMib, String cmdline, String more) {
        String text = "name = \"" + name + "\"\nmemory = " + memoryMib + "\nvcpus = 1\ncmdline = \"" + cmdline
                + "\"\n" + more;
        try {
            return XlConfigLoader.parse(text, name + ".cfg", java.util.List.of()).config();
        } catch (XlConfigException e) {
            throw new IllegalStateException("the benchmark's own config does not parse: " + e.getMessage(), e);
        }
    }
}
