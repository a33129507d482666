package org.hvsim.hv.abi.xenstore;

import org.hvsim.hv.abi.Errno;

/**
 * {@code xsd_errors[]} ({@code public/io/xs_wire.h}), in table order: the errors xenstored may send. An
 * {@code XS_ERROR} reply carries the name followed by a NUL, never the number. A client maps a name it
 * does not know to {@code EINVAL}, as libxenstore does.
 */
public enum XsdError {
    EINVAL(Errno.EINVAL),
    EACCES(Errno.EACCES),
    EEXIST(Errno.EEXIST),
    EISDIR(Errno.EISDIR),
    ENOENT(Errno.ENOENT),
    ENOMEM(Errno.ENOMEM),
    ENOSPC(Errno.ENOSPC),
    EIO(Errno.EIO),
    ENOTEMPTY(Errno.ENOTEMPTY),
    ENOSYS(Errno.ENOSYS),
    EROFS(Errno.EROFS),
    EBUSY(Errno.EBUSY),
    EAGAIN(Errno.EAGAIN),
    EISCONN(Errno.EISCONN),
    E2BIG(Errno.E2BIG),
    EPERM(Errno.EPERM);

    private final int errnum;

    XsdError(int errnum) {
        this.errnum = errnum;
    }

    /** The Xen errno value (positive). */
    public int errnum() {
        return errnum;
    }

    /** The error named {@code name} in an {@code XS_ERROR} payload (without its NUL); EINVAL if unknown. */
    public static XsdError named(String name) {
        for (XsdError e : values()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return EINVAL;
    }
}
