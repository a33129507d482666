package org.hvsim.domu.hypercall;

import org.hvsim.hv.abi.Errno;

/** A hypercall whose result the kernel needs failed: names the operation and Xen's errno. */
public final class HypercallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final long result;

    public HypercallException(String operation, long result) {
        super(operation + " failed: " + Errno.name(result), null, false, false);
        this.operation = operation;
        this.result = result;
    }

    public String operation() {
        return operation;
    }

    /** The negated Xen errno the hypercall returned. */
    public long result() {
        return result;
    }

    /** {@code result} if it is not an error; otherwise throws for {@code operation}. */
    public static long check(String operation, long result) {
        if (result < 0) {
            throw new HypercallException(operation, result);
        }
        return result;
    }
}
