package org.hvsim.domu.control;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The toolstack's word on each vCPU, {@code ~/cpu/<N>/availability} = {@code online} or {@code offline}
 * (libxl's {@code libxl__set_vcpuonline_xenstore}), and the watch paths under {@code ~/cpu} that name a vCPU.
 * Both come from xenstored: a value or path that does not parse is nothing this kernel acts on.
 */
public enum CpuAvailability {
    ONLINE("online"),
    OFFLINE("offline");

    /** The directory the kernel watches, relative to its domain's home. */
    public static final String CPU_DIR = "cpu";
    /** Digits of a vCPU number in a path, at most (more than any vCPU id, which is below 2^31). */
    private static final int MAX_DIGITS = 9;

    private final String value;

    CpuAvailability(String value) {
        this.value = value;
    }

    /** The node's value. */
    public String value() {
        return value;
    }

    /** {@code cpu/<id>/availability}. */
    public static String node(int id) {
        return CPU_DIR + "/" + id + "/availability";
    }

    /** The state {@code value} names exactly, if any. */
    public static Optional<CpuAvailability> of(String value) {
        for (CpuAvailability a : values()) {
            if (a.value.equals(value)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * The vCPU a watch path names: {@code cpu/<N>} or anything below it (Linux reads {@code "cpu/%u"}), with
     * {@code N} plain decimal digits; empty for {@code cpu} itself and for anything else.
     */
    public static OptionalInt vcpuOf(String path) {
        String prefix = CPU_DIR + "/";
        if (path == null || !path.startsWith(prefix)) {
            return OptionalInt.empty();
        }
        int end = path.indexOf('/', prefix.length());
        String digits = path.substring(prefix.length(), end < 0 ? path.length() : end);
        if (digits.isEmpty() || digits.length() > MAX_DIGITS) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.of(Integer.parseInt(digits));
    }
}
