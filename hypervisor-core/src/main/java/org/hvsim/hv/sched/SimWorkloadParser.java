package org.hvsim.hv.sched;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the small text form of a {@link SimWorkload} (for a {@code schedsim} command):
 *
 * <pre>
 * # comment
 * pcpus 2
 * domain 1 weight=256 cap=0 vcpus=2 run=cpu cpus=0-1
 * domain 2 weight=512 run=burst:100us/1ms
 * domain 3 run=yield:10ms/100us
 * </pre>
 *
 * {@code run} is {@code cpu} (CPU-bound, the default), {@code burst:RUN/BLOCK} or
 * {@code yield:TICK/LEAD}; durations take {@code ns}, {@code us}, {@code ms} or {@code s};
 * {@code cpus} is a hard affinity list like {@code 0,2-3} (default: all). Every vCPU of a domain
 * behaves alike. Errors name the line.
 */
public final class SimWorkloadParser {
    private SimWorkloadParser() {}

    public static SimWorkload parse(String text) {
        int nrPcpus = 1;
        List<SimWorkload.Domain> domains = new ArrayList<>();
        Set<Integer> domids = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                String[] words = line.split("\\s+");
                switch (words[0]) {
                    case "pcpus" -> {
                        if (words.length != 2 || !domains.isEmpty()) {
                            throw new IllegalArgumentException("'pcpus N' comes once, before the domains");
                        }
                        nrPcpus = positive(words[1], "pcpus");
                    }
                    case "domain" -> {
                        SimWorkload.Domain d = domain(words, nrPcpus);
                        if (!domids.add(d.domid())) {
                            throw new IllegalArgumentException("domain " + d.domid() + " given twice");
                        }
                        domains.add(d);
                    }
                    default -> throw new IllegalArgumentException("expected 'pcpus' or 'domain', got '" + words[0] + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("no domain in the workload");
        }
        return new SimWorkload(nrPcpus, domains);
    }

    private static SimWorkload.Domain domain(String[] words, int nrPcpus) {
        if (words.length < 2) {
            throw new IllegalArgumentException("'domain' needs a domid");
        }
        int domid = nonNegative(words[1], "domid");
        int weight = 256;
        int cap = 0;
        int vcpus = 1;
        SimBehaviour run = new SimBehaviour.CpuBound();
        BitSet cpus = null;
        for (int w = 2; w < words.length; w++) {
            String[] kv = words[w].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value, got '" + words[w] + "'");
            }
            switch (kv[0]) {
                case "weight" -> weight = positive(kv[1], "weight");
                case "cap" -> cap = nonNegative(kv[1], "cap");
                case "vcpus" -> vcpus = positive(kv[1], "vcpus");
                case "run" -> run = behaviour(kv[1]);
                case "cpus" -> cpus = cpuList(kv[1], nrPcpus);
                default -> throw new IllegalArgumentException("unknown key '" + kv[0] + "'");
            }
        }
        return new SimWorkload.Domain(domid, weight, cap,
                Collections.nCopies(vcpus, new SimWorkload.Vcpu(run, cpus)));
    }

    private static SimBehaviour behaviour(String s) {
        if (s.equals("cpu")) {
            return new SimBehaviour.CpuBound();
        }
        String[] kind = s.split(":", 2);
        String[] two = kind.length == 2 ? kind[1].split("/", 2) : new String[0];
        if (two.length != 2 || !kind[0].equals("burst") && !kind[0].equals("yield")) {
            throw new IllegalArgumentException("run is cpu, burst:RUN/BLOCK or yield:TICK/LEAD, got '" + s + "'");
        }
        long a = duration(two[0]);
        long b = duration(two[1]);
        return kind[0].equals("burst") ? new SimBehaviour.BurstBlock(a, b) : new SimBehaviour.YieldBeforeTick(a, b);
    }

    /** A duration like {@code 250us}; a bare number is nanoseconds. */
    static long duration(String s) {
        String[] units = {"ns", "us", "ms", "s"};   // "s" last: "ms" also ends with it
        long[] scale = {1, 1_000, 1_000_000, 1_000_000_000};
        for (int i = 0; i < units.length; i++) {
            if (s.endsWith(units[i])) {
                return Math.multiplyExact(positiveLong(s.substring(0, s.length() - units[i].length())), scale[i]);
            }
        }
        return positiveLong(s);
    }

    private static long positiveLong(String s) {
        try {
            long v = Long.parseLong(s);
            if (v <= 0) {
                throw new IllegalArgumentException("duration must be positive: " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration is not a number: '" + s + "'");
        }
    }

    private static BitSet cpuList(String s, int nrPcpus) {
        BitSet set = new BitSet();
        for (String part : s.split(",")) {
            String[] range = part.split("-", 2);
            int lo = nonNegative(range[0], "cpu");
            int hi = range.length == 2 ? nonNegative(range[1], "cpu") : lo;
            if (lo > hi || hi >= nrPcpus) {
                throw new IllegalArgumentException("cpus '" + s + "' not within 0-" + (nrPcpus - 1));
            }
            set.set(lo, hi + 1);
        }
        return set;
    }

    private static int positive(String s, String what) {
        int v = nonNegative(s, what);
        if (v == 0) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return v;
    }

    private static int nonNegative(String s, String what) {
        try {
            int v = Integer.parseInt(s);
            if (v < 0) {
                throw new IllegalArgumentException(what + " must not be negative: " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a number: '" + s + "'");
        }
    }
}
