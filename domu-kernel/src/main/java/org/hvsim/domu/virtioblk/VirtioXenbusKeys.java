package org.hvsim.domu.virtioblk;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The XenStore keys of virtio on a xenbus transport (hvsim's contract between the guest's frontend and dom0's
 * backend) and the codecs of their values. Values the backend writes are untrusted: the parsers accept exactly
 * the contract's forms (lowercase hex without {@code 0x}, bounded lengths) and throw
 * {@link IllegalArgumentException} naming what they got.
 */
public final class VirtioXenbusKeys {
    // Backend directory (dom0 writes).
    public static final String DEVICE_ID = "virtio-device-id";
    public static final String DEVICE_FEATURES = "virtio-device-features";
    public static final String CONFIG = "virtio-config";
    public static final String QUEUE_MAX_SIZE = "virtio-queue-max-size";
    public static final String DEVICE_STATUS = "virtio-device-status";
    public static final String ERROR = "virtio-error";
    public static final String DEV = "dev";
    public static final String MODE = "mode";
    // Frontend directory (the guest writes).
    public static final String DRIVER_FEATURES = "virtio-driver-features";
    public static final String QUEUE_SIZE = "queue-0/size";
    public static final String DESC_REF = "queue-0/desc-ref";
    public static final String AVAIL_REF = "queue-0/avail-ref";
    public static final String USED_REF = "queue-0/used-ref";
    public static final String EVENT_CHANNEL = "event-channel";
    // Both, and the toolstack's.
    public static final String STATE = "state";
    public static final String BACKEND = "backend";
    public static final String BACKEND_ID = "backend-id";
    public static final String VIRTUAL_DEVICE = "virtual-device";

    /** virtio-blk's device id. */
    public static final int VIRTIO_ID_BLOCK = 2;
    /** The longest hex config this frontend reads (a virtio config space is at most 256 bytes here). */
    public static final int MAX_CONFIG_BYTES = 256;

    private static final HexFormat HEX = HexFormat.of();

    private VirtioXenbusKeys() {}

    /** A u64 as the contract writes it: lowercase hex, no {@code 0x}. */
    public static String hexU64(long v) {
        return Long.toHexString(v);
    }

    /** Parses a lowercase hex u64 of 1 to 16 digits. */
    public static long parseHexU64(String s) {
        if (s == null || s.isEmpty() || s.length() > 16 || !lowerHex(s)) {
            throw new IllegalArgumentException("not a hex u64: " + printable(s));
        }
        return Long.parseUnsignedLong(s, 16);
    }

    /** Parses lowercase hex bytes (an even number of digits, at most {@value #MAX_CONFIG_BYTES} bytes). */
    public static byte[] parseHexBytes(String s) {
        if (s == null || s.length() % 2 != 0 || s.length() > 2 * MAX_CONFIG_BYTES || !lowerHex(s)) {
            throw new IllegalArgumentException("not hex bytes: " + printable(s));
        }
        return HEX.parseHex(s);
    }

    /** Parses a decimal value in {@code [min, max]} (digits only, as xenbus writes numbers). */
    public static long parseDecimal(String s, long min, long max) {
        if (s == null || s.isEmpty() || s.length() > 19) {
            throw new IllegalArgumentException("not a number: " + printable(s));
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new IllegalArgumentException("not a number: " + printable(s));
            }
        }
        long v = Long.parseLong(s);
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is not in [" + min + ", " + max + "]");
        }
        return v;
    }

    /** Grant refs as the contract lists them: comma-separated decimals. */
    public static String refList(List<Integer> refs) {
        return refs.stream().map(r -> Integer.toUnsignedString(r)).collect(Collectors.joining(","));
    }

    private static boolean lowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** A value for a message: at most 40 characters, control characters as '?'. */
    static String printable(String value) {
        return printable(value, 40);
    }

    /** As {@link #printable(String)}, cut after {@code max} characters. */
    static String printable(String value, int max) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < value.length() && i < max; i++) {
            char c = value.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.append(value.length() > max ? "...\"" : "\"").toString();
    }
}
