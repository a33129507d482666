package org.hvsim.domu.app;

import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;

/**
 * {@code crash}: says what it is about to do, then reads guest-physical memory the domain does not have.
 * The fault is not handled, so the hypervisor crashes the domain and its {@code on_crash} action applies.
 */
final class CrashApp implements App {
    /** The last page of a 47-bit guest-physical address space, far above any RAM hvsim gives a guest. */
    static final long UNPOPULATED_ADDRESS = (1L << 47) - 4096;

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        kernel.println(cpu, "crash: reading guest-physical address 0x" + Long.toHexString(UNPOPULATED_ADDRESS)
                + ", which this domain does not have; the hypervisor will crash it");
        long value = cpu.memory().getLong(UNPOPULATED_ADDRESS);
        kernel.panic(cpu, "reading 0x" + Long.toHexString(UNPOPULATED_ADDRESS) + " did not fault (it holds 0x"
                + Long.toHexString(value) + ")");
    }
}
