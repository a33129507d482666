package org.hvsim.virtio;

/**
 * The reserved (transport and ring) feature bits of VIRTIO 1.2 §6, as bit numbers. Bits 0–23 and 50–127 are
 * device-specific, 24–40 belong to the transport and ring, 41–49 are reserved. Features travel as a 64-bit
 * mask ({@code 1L << bit}); nothing here uses bits above 63.
 */
public final class VirtioFeature {

    public static final int INDIRECT_DESC = 28;
    public static final int EVENT_IDX = 29;
    public static final int VERSION_1 = 32;
    public static final int ACCESS_PLATFORM = 33;
    public static final int RING_PACKED = 34;
    public static final int IN_ORDER = 35;
    public static final int ORDER_PLATFORM = 36;
    public static final int SR_IOV = 37;
    public static final int NOTIFICATION_DATA = 38;
    public static final int NOTIF_CONFIG_DATA = 39;
    public static final int RING_RESET = 40;

    /** The transport/ring bits this implementation supports (split ring only). */
    public static final long SUPPORTED_RING_FEATURES =
            mask(INDIRECT_DESC) | mask(EVENT_IDX) | mask(VERSION_1) | mask(ACCESS_PLATFORM);

    /** Bits 24..40: the transport and ring range. */
    public static final long RING_RANGE = ((1L << 41) - 1) & ~((1L << 24) - 1);

    private VirtioFeature() {
    }

    public static long mask(int bit) {
        return 1L << bit;
    }

    public static boolean has(long features, int bit) {
        return (features & mask(bit)) != 0;
    }

    /** The bit's spec name (VIRTIO_F_*), or "bit N" for a device-specific or unknown one. */
    public static String name(int bit) {
        return switch (bit) {
            case INDIRECT_DESC -> "VIRTIO_F_INDIRECT_DESC";
            case EVENT_IDX -> "VIRTIO_F_EVENT_IDX";
            case VERSION_1 -> "VIRTIO_F_VERSION_1";
            case ACCESS_PLATFORM -> "VIRTIO_F_ACCESS_PLATFORM";
            case RING_PACKED -> "VIRTIO_F_RING_PACKED";
            case IN_ORDER -> "VIRTIO_F_IN_ORDER";
            case ORDER_PLATFORM -> "VIRTIO_F_ORDER_PLATFORM";
            case SR_IOV -> "VIRTIO_F_SR_IOV";
            case NOTIFICATION_DATA -> "VIRTIO_F_NOTIFICATION_DATA";
            case NOTIF_CONFIG_DATA -> "VIRTIO_F_NOTIF_CONFIG_DATA";
            case RING_RESET -> "VIRTIO_F_RING_RESET";
            default -> "bit " + bit;
        };
    }
}
