package org.hvsim.tools.xlcfg;

import java.util.BitSet;
import java.util.TreeSet;
import org.hvsim.proto.control.CpuSet;

/**
 * xl's CPULIST syntax (xl.cfg(5) "cpus"), as Xen's {@code parse_cpurange} reads it: comma-separated
 * items, each {@code N}, {@code N-M} or {@code all}, optionally prefixed by {@code ^} (remove instead of
 * add) and by {@code node:}/{@code nodes:} (whole NUMA nodes); items apply left to right. hvsim hosts
 * have one NUMA node, node 0, which holds every CPU. CPU numbers are below {@value #MAX_CPUS}.
 *
 * <p>The result is a {@link CpuSet}. Without the host's CPU count "all but some" cannot be written out,
 * so a set that starts from {@code all} is kept as {@code all = true} and then {@code cpus} lists the
 * CPUs taken out of it: {@code "all,^7"} is {@code {all: true, cpus: [7]}}. A plain set has
 * {@code all = false} and lists its CPUs. A CPULIST that selects nothing is refused. Stateless.
 */
public final class CpuList {
    public static final int MAX_CPUS = 4096;

    private CpuList() {
    }

    public static CpuSet parse(String text) throws XlSpecException {
        boolean all = false;
        BitSet cpus = new BitSet();
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                continue;
            }
            String rest = item;
            boolean remove = rest.startsWith("^");
            if (remove) {
                rest = rest.substring(1);
            }
            boolean nodes = false;
            for (String prefix : new String[] {"node:", "nodes:"}) {
                if (rest.startsWith(prefix)) {
                    rest = rest.substring(prefix.length());
                    nodes = true;
                    break;
                }
            }
            if (rest.equals("all")) {
                if (remove) {
                    throw new XlSpecException("Can't combine \"^\" and \"all\".");
                }
                all = true;
                cpus.clear();
                continue;
            }
            int[] range = range(rest);
            if (range == null) {
                throw new XlSpecException("Invalid pcpu range: " + rest + ".");
            }
            if (nodes) {
                if (range[1] > 0) {
                    throw new XlSpecException("Invalid NUMA node range: " + rest
                            + " (the host has one node, node 0).");
                }
                all = !remove;
                cpus.clear();
                continue;
            }
            if (range[1] >= MAX_CPUS) {
                throw new XlSpecException("Invalid pcpu range: " + rest + " (CPU numbers are below "
                        + MAX_CPUS + ").");
            }
            boolean set = all == remove;
            cpus.set(range[0], range[1] + 1, set);
        }
        if (!all && cpus.isEmpty()) {
            throw new XlSpecException("CPULIST `" + text + "' selects no CPU.");
        }
        CpuSet.Builder result = CpuSet.newBuilder().setAll(all);
        cpus.stream().forEach(result::addCpus);
        return result.build();
    }

    /**
     * The set as xl prints one: {@code all}, ranges such as {@code 0-3,6}, {@code all,^7} for all but
     * some, or {@code none} for an empty set.
     */
    public static String format(CpuSet set) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (int cpu : set.getCpusList()) {
            cpus.add(cpu);
        }
        StringBuilder out = new StringBuilder(set.getAll() ? "all" : "");
        int[] sorted = cpus.stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            if (set.getAll()) {
                out.append('^');
            }
            out.append(Integer.toUnsignedString(sorted[i]));
            if (j > i) {
                out.append('-').append(Integer.toUnsignedString(sorted[j]));
            }
            i = j + 1;
        }
        return out.isEmpty() ? "none" : out.toString();
    }

    /** {@code N} or {@code N-M} with {@code M >= N}, decimal, each number optionally after blanks. */
    private static int[] range(String text) {
        int dash = text.indexOf('-');
        String first = dash < 0 ? text : text.substring(0, dash);
        int a = cpuNumber(first);
        int b = dash < 0 ? a : cpuNumber(text.substring(dash + 1));
        if (a < 0 || b < 0 || b < a) {
            return null;
        }
        return new int[] {a, b};
    }

    /** A decimal CPU number after optional blanks; -1 if malformed, {@code MAX_VALUE} if too large. */
    private static int cpuNumber(String text) {
        int i = 0;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i == text.length()) {
            return -1;
        }
        long value = 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = Math.min(value * 10 + (c - '0'), Integer.MAX_VALUE);
        }
        return (int) value;
    }
}
