package org.hvsim.tools.xl.format;

import java.util.BitSet;
import org.hvsim.proto.control.CpuSet;

/**
 * A CPU set as xl prints a bitmap ({@code print_bitmap} in xl_utils.c) over the host's {@code nrCpus}
 * CPUs: {@code all} when every one is set, {@code none} when none is, otherwise the runs of set CPUs in
 * ascending order, {@code N} or {@code N-M}, joined by commas ({@code 0-3,6}). CPUs at or above
 * {@code nrCpus} are not shown, as xl does not show bits beyond the map's length.
 *
 * <p>A {@link CpuSet} with {@code all} set means every CPU except those it lists (xl.cfg's
 * {@code "all,^7"}); without {@code all} it means exactly the CPUs it lists.
 */
public final class AffinityFormat {
    private AffinityFormat() {
    }

    public static String format(CpuSet set, int nrCpus) {
        return format(bits(set, nrCpus), nrCpus);
    }

    /** The CPUs of {@code set} below {@code nrCpus}. */
    static BitSet bits(CpuSet set, int nrCpus) {
        BitSet bits = new BitSet(nrCpus);
        if (set.getAll()) {
            bits.set(0, nrCpus);
        }
        for (int cpu : set.getCpusList()) {
            if (Integer.compareUnsigned(cpu, nrCpus) < 0) {
                bits.set(cpu, !set.getAll());
            }
        }
        return bits;
    }

    /** {@code bits} over a map of {@code length} bits, as print_bitmap prints it. */
    public static String format(BitSet bits, int length) {
        int first = bits.nextSetBit(0);
        if (first < 0 || first >= length) {
            return "none";
        }
        int afterRun = bits.nextClearBit(first);
        if (first == 0 && afterRun >= length) {
            return "all";
        }
        StringBuilder out = new StringBuilder();
        for (int start = first; start >= 0 && start < length; start = bits.nextSetBit(afterRun)) {
            afterRun = Math.min(bits.nextClearBit(start), length);
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(start);
            if (afterRun - 1 > start) {
                out.append('-').append(afterRun - 1);
            }
            if (afterRun >= length) {
                break;
            }
        }
        return out.toString();
    }
}
