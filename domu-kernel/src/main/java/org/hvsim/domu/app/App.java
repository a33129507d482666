package org.hvsim.domu.app;

import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;

/**
 * A workload the kernel runs, named by {@code app=} on the command line. An app is made once per domain,
 * after the kernel is up, from its parameters ({@link Apps}).
 *
 * <p>Threads: {@link #run} on vCPU 0 and {@link #runSecondary} on every other vCPU, at the same time; an
 * app keeps per-vCPU state on its vCPU's stack or in thread-safe fields.
 */
public interface App {
    /** Runs on vCPU 0. Returning powers the domain off; an app may also shut down or idle itself. */
    void run(Kernel kernel, PerCpu cpu);

    /** Runs on each secondary vCPU once it is up. Returning idles the vCPU; by default it returns at once. */
    default void runSecondary(Kernel kernel, PerCpu cpu) {}
}
