package org.hvsim.domu.control;

import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.hv.abi.ShutdownReason;

/** What the shutdown watcher needs of the kernel: a console line, and {@code SCHEDOP_shutdown}. */
public interface ShutdownActions {

    /** Writes {@code line} to the console. */
    void report(PerCpu cpu, String line);

    /** Shuts the domain down with {@code reason}; in the kernel this does not return. */
    void shutdown(PerCpu cpu, ShutdownReason reason);
}
