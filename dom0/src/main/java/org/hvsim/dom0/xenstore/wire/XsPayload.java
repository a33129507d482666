package org.hvsim.dom0.xenstore.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Payload conventions of C xenstored ({@code onearg()}, {@code get_strings()},
 * {@code xenstore_count_strings()}). Strings are NUL-terminated; bytes after the last NUL are not a
 * string. Bytes map to chars one to one (ISO-8859-1), so tokens and values round-trip exactly.
 */
public final class XsPayload {
    /** {@code "OK\0"}: the reply to a request that returns no data. */
    public static final byte[] OK = {'O', 'K', 0};

    private XsPayload() {}

    /**
     * The single argument of a payload that is exactly one NUL-terminated string, or {@code null} if the
     * payload is empty, has no NUL, or has anything after its first NUL.
     */
    public static String oneArg(byte[] payload) {
        if (payload.length == 0 || indexOfNul(payload, 0) != payload.length - 1) {
            return null;
        }
        return latin1(payload, 0, payload.length - 1);
    }

    /** Every NUL-terminated string of the payload, in order. */
    public static List<String> strings(byte[] payload) {
        List<String> out = new ArrayList<>();
        int off = 0;
        int nul;
        while ((nul = indexOfNul(payload, off)) >= 0) {
            out.add(latin1(payload, off, nul - off));
            off = nul + 1;
        }
        return out;
    }

    /** The number of NUL bytes in the payload. */
    public static int countNuls(byte[] payload) {
        int n = 0;
        for (byte b : payload) {
            if (b == 0) {
                n++;
            }
        }
        return n;
    }

    /** The index of the first NUL at or after {@code from}, or -1. */
    public static int indexOfNul(byte[] payload, int from) {
        for (int i = from; i < payload.length; i++) {
            if (payload[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code s} followed by a NUL. */
    public static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    /** Every string followed by a NUL, concatenated. */
    public static byte[] cStrings(List<String> strings) {
        int len = 0;
        for (String s : strings) {
            len += s.length() + 1;
        }
        byte[] out = new byte[len];
        int off = 0;
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(b, 0, out, off, b.length);
            off += b.length + 1;
        }
        return out;
    }

    public static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    public static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
