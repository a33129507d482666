package org.hvsim.hv.abi;

/**
 * Xen errno values ({@code public/errno.h}). Hypercalls return them negated, e.g. {@code -EINVAL}.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ENODATA = 61;
    public static final int ERESTART = 85;
    public static final int EOPNOTSUPP = 95;
    public static final int EISCONN = 106;
    public static final int ETIME = 62;
    public static final int ENOBUFS = 105;
    public static final int ETIMEDOUT = 110;

    private Errno() {}

    /** The symbolic name of errno {@code e} (positive or negated), e.g. {@code "EINVAL"}. */
    public static String name(long e) {
        int v = (int) Math.abs(e);
        return switch (v) {
            case 0 -> "OK";
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case E2BIG -> "E2BIG";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EXDEV -> "EXDEV";
            case ENODEV -> "ENODEV";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case EROFS -> "EROFS";
            case ERANGE -> "ERANGE";
            case ENOSYS -> "ENOSYS";
            case ENOTEMPTY -> "ENOTEMPTY";
            case ENODATA -> "ENODATA";
            case ERESTART -> "ERESTART";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EISCONN -> "EISCONN";
            case ETIME -> "ETIME";
            case ENOBUFS -> "ENOBUFS";
            case ETIMEDOUT -> "ETIMEDOUT";
            default -> "E#" + v;
        };
    }
}
