package org.hvsim.dom0.blkback;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.hvsim.virtio.VirtioFeature;
import org.hvsim.virtio.ring.VirtqueueLayout;

/**
 * What a frontend wrote in its directory before Initialised (the contract's frontend keys), read and
 * checked against the backend's offer: {@code virtio-driver-features} (lowercase hex u64, a subset of
 * what was offered, with VERSION_1 and ACCESS_PLATFORM), {@code queue-0/size} (a power of two up to
 * {@code virtio-queue-max-size}), {@code queue-0/desc-ref}, {@code avail-ref}, {@code used-ref} (decimal
 * grant refs separated by commas, exactly as many as each area's pages) and {@code event-channel} (a port).
 * Every value is guest-written: anything else is refused with one line for {@code virtio-error}.
 *
 * @param features the accepted features
 * @param size     the queue size
 */
public record FrontendQueueSetup(long features, int size, List<Integer> descRefs, List<Integer> availRefs,
        List<Integer> usedRefs, int eventChannel) {
    public static final String FEATURES = "virtio-driver-features";
    public static final String QUEUE_SIZE = "queue-0/size";
    public static final String DESC_REF = "queue-0/desc-ref";
    public static final String AVAIL_REF = "queue-0/avail-ref";
    public static final String USED_REF = "queue-0/used-ref";
    public static final String EVENT_CHANNEL = "event-channel";
    /** Ports above this are refused (the 2-level ABI of a 64-bit guest has 4096; FIFO at most 2^17). */
    public static final int MAX_PORT = (1 << 17) - 1;
    private static final int PAGE = 4096;

    public FrontendQueueSetup {
        descRefs = List.copyOf(descRefs);
        availRefs = List.copyOf(availRefs);
        usedRefs = List.copyOf(usedRefs);
    }

    /**
     * Reads the frontend's keys through {@code read} (key relative to the frontend directory; null if absent)
     * and checks them against {@code offered} and {@code maxQueueSize}.
     */
    public static FrontendQueueSetup parse(Function<String, String> read, long offered, int maxQueueSize)
            throws FrontendSetupException {
        long features = hex64(FEATURES, required(read, FEATURES));
        if ((features & ~offered) != 0) {
            throw new FrontendSetupException(FEATURES + " " + Long.toHexString(features)
                    + " has bits not offered: " + Long.toHexString(features & ~offered));
        }
        for (int bit : new int[] {VirtioFeature.VERSION_1, VirtioFeature.ACCESS_PLATFORM}) {
            if (!VirtioFeature.has(features, bit)) {
                throw new FrontendSetupException(FEATURES + " lacks " + VirtioFeature.name(bit));
            }
        }
        long size = decimal(QUEUE_SIZE, required(read, QUEUE_SIZE), maxQueueSize);
        if (size < 1 || Long.bitCount(size) != 1) {
            throw new FrontendSetupException(QUEUE_SIZE + " " + size + " is not a power of two in [1, " + maxQueueSize + "]");
        }
        int n = (int) size;
        List<Integer> desc = refs(DESC_REF, required(read, DESC_REF), pages(VirtqueueLayout.descTableBytes(n)));
        List<Integer> avail = refs(AVAIL_REF, required(read, AVAIL_REF), pages(VirtqueueLayout.availRingBytes(n)));
        List<Integer> used = refs(USED_REF, required(read, USED_REF), pages(VirtqueueLayout.usedRingBytes(n)));
        long port = decimal(EVENT_CHANNEL, required(read, EVENT_CHANNEL), MAX_PORT);
        if (port < 1) {
            throw new FrontendSetupException(EVENT_CHANNEL + " 0 is not a port");
        }
        return new FrontendQueueSetup(features, n, desc, avail, used, (int) port);
    }

    /** Pages an area of {@code bytes} starting at offset 0 of its first page spans. */
    public static int pages(long bytes) {
        return (int) ((bytes + PAGE - 1) / PAGE);
    }

    /** The ring as the backend maps it: the three areas' pages one after another from address 0. */
    public VirtqueueLayout layout() {
        return new VirtqueueLayout(size, 0, (long) descRefs.size() * PAGE,
                (long) (descRefs.size() + availRefs.size()) * PAGE);
    }

    private static String required(Function<String, String> read, String key) throws FrontendSetupException {
        String v = read.apply(key);
        if (v == null) {
            throw new FrontendSetupException(key + " is missing");
        }
        return v;
    }

    private static long hex64(String key, String v) throws FrontendSetupException {
        if (v.isEmpty() || v.length() > 16 || !v.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new FrontendSetupException(key + " " + quote(v) + " is not lowercase hex of at most 64 bits");
        }
        return Long.parseUnsignedLong(v, 16);
    }

    /** A decimal in [0, max]. */
    private static long decimal(String key, String v, long max) throws FrontendSetupException {
        if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new FrontendSetupException(key + " " + quote(v) + " is not a decimal number");
        }
        long n = Long.parseLong(v);
        if (n > max) {
            throw new FrontendSetupException(key + " " + n + " is above " + max);
        }
        return n;
    }

    private static List<Integer> refs(String key, String v, int count) throws FrontendSetupException {
        String[] parts = v.split(",", -1);
        if (parts.length != count) {
            throw new FrontendSetupException(key + " has " + parts.length + " refs; the area needs " + count);
        }
        List<Integer> out = new ArrayList<>(count);
        for (String p : parts) {
            out.add((int) decimal(key, p, 0xffff_ffffL));
        }
        return out;
    }

    /** The value for a one-line message: at most 40 printable characters. */
    private static String quote(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < v.length() && i < 40; i++) {
            char c = v.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.append(v.length() > 40 ? "...\"" : "\"").toString();
    }
}
