package org.hvsim.virtio.blk;

/** The {@code type} of a virtio-blk request (VIRTIO_BLK_T_*). */
public final class VirtioBlkRequestType {

    public static final int IN = 0;
    public static final int OUT = 1;
    public static final int FLUSH = 4;
    public static final int GET_ID = 8;
    public static final int GET_LIFETIME = 10;
    public static final int DISCARD = 11;
    public static final int WRITE_ZEROES = 13;
    public static final int SECURE_ERASE = 14;

    private VirtioBlkRequestType() {
    }

    public static String name(int type) {
        return switch (type) {
            case IN -> "IN";
            case OUT -> "OUT";
            case FLUSH -> "FLUSH";
            case GET_ID -> "GET_ID";
            case GET_LIFETIME -> "GET_LIFETIME";
            case DISCARD -> "DISCARD";
            case WRITE_ZEROES -> "WRITE_ZEROES";
            case SECURE_ERASE -> "SECURE_ERASE";
            default -> "type " + Integer.toUnsignedString(type);
        };
    }
}
