package org.hvsim.domu.app;

import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;

/**
 * {@code flood [lines=N]}: prints N numbered lines as fast as the console takes them, then powers off.
 * Far more than the 2 KiB output ring holds: it shows the console's flow control (the guest waits for
 * dom0 to drain the ring; nothing is lost).
 */
final class FloodApp implements App {
    static final String LINES = "lines";
    static final long DEFAULT_LINES = 1000;
    static final long MAX_LINES = 10_000_000;

    private final long lines;

    FloodApp(CommandLine cl) {
        this.lines = cl.longParam(LINES, DEFAULT_LINES, 1, MAX_LINES);
    }

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        for (long i = 1; i <= lines; i++) {
            kernel.println(cpu, line(i, lines));
        }
        kernel.println(cpu, "flood: done");
    }

    /** Line {@code i} of {@code n}. */
    static String line(long i, long n) {
        return "flood: line " + i + " of " + n + ": the quick brown fox jumps over the lazy dog";
    }
}
