package org.hvsim.hv.hypercall;

import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.ConsoleIo;
import org.hvsim.hv.abi.Errno;

/**
 * {@code console_io(cmd, count, buffer)} (hypercall 18). CONSOLEIO_write appends to the hypervisor
 * console; hvsim lets every domain write (as a Xen debug build does), line-buffered, prefixed and
 * rate-limited per domain. CONSOLEIO_read reads the hypervisor's serial input: only a privileged
 * domain may, and the simulated serial line never has input, so it returns 0 bytes.
 */
final class ConsoleIoHypercall implements HypercallHandler {
    /** Bytes one call may write; Xen writes any count with continuations, hvsim bounds the loop. */
    static final long MAX_COUNT = 1 << 20;

    private final Hypervisor hv;

    ConsoleIoHypercall(Hypervisor hv) {
        this.hv = hv;
    }

    @Override
    public long call(HypercallContext ctx, long cmd, long count, long buffer, long a4, long a5) {
        switch ((int) cmd) {
            case ConsoleIo.WRITE: {
                if (count < 0 || count > MAX_COUNT) {
                    return -Errno.EINVAL;
                }
                if (!ctx.memory().isAccessible(buffer, count)) {
                    return -Errno.EFAULT;
                }
                for (long done = 0; done < count; ) {
                    int n = (int) Math.min(ConsoleIo.MAX_WRITE, count - done);
                    hv.console().guestWrite(ctx.domain().domid(), ctx.memory().readBytes(buffer + done, n));
                    done += n;
                }
                return 0;
            }
            case ConsoleIo.READ:
                return ctx.domain().isPrivileged() ? 0 : -Errno.EPERM;
            default:
                return -Errno.ENOSYS;
        }
    }
}
