package org.hvsim.hv.abi.xenstore;

/**
 * {@code enum xsd_sockmsg_type} ({@code public/io/xs_wire.h}): the {@code type} field of a XenStore
 * message header. {@code XS_RESTRICT} (20) was removed from Xen and is not a valid type.
 */
public enum XsdSockmsgType {
    XS_CONTROL(0),
    XS_DIRECTORY(1),
    XS_READ(2),
    XS_GET_PERMS(3),
    XS_WATCH(4),
    XS_UNWATCH(5),
    XS_TRANSACTION_START(6),
    XS_TRANSACTION_END(7),
    XS_INTRODUCE(8),
    XS_RELEASE(9),
    XS_GET_DOMAIN_PATH(10),
    XS_WRITE(11),
    XS_MKDIR(12),
    XS_RM(13),
    XS_SET_PERMS(14),
    XS_WATCH_EVENT(15),
    XS_ERROR(16),
    XS_IS_DOMAIN_INTRODUCED(17),
    XS_RESUME(18),
    XS_SET_TARGET(19),
    XS_RESET_WATCHES(21),
    XS_DIRECTORY_PART(22),
    XS_GET_FEATURE(23),
    XS_SET_FEATURE(24),
    XS_GET_QUOTA(25),
    XS_SET_QUOTA(26);

    /** {@code XS_INVALID}: never a valid type. */
    public static final int XS_INVALID = 0xffff;

    private static final XsdSockmsgType[] BY_NUMBER = new XsdSockmsgType[27];

    static {
        for (XsdSockmsgType t : values()) {
            BY_NUMBER[t.number] = t;
        }
    }

    private final int number;

    XsdSockmsgType(int number) {
        this.number = number;
    }

    /** The wire number. */
    public int number() {
        return number;
    }

    /** The type with wire number {@code n} (an unsigned 32-bit value), or {@code null} if there is none. */
    public static XsdSockmsgType of(long n) {
        return n >= 0 && n < BY_NUMBER.length ? BY_NUMBER[(int) n] : null;
    }
}
