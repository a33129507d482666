package org.hvsim.domu.app;

import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.domu.time.Durations;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;

/**
 * {@code cpuburn [interval_ms=N]}: every vCPU, as it comes up, burns CPU forever on a page of its own
 * (a xorshift stream added into every word, one page per round, a scheduling point after each round, so
 * xenwatch work such as a shutdown request still runs)
 * and prints a progress line every N ms of system time (default 5000): rounds done, elapsed time, the
 * CPU time the hypervisor has given it ({@code VCPUOP_get_runstate_info}) and a checksum.
 *
 * <p>Threads: every vCPU burns at once; each keeps its state on its own stack and page.
 */
final class CpuBurnApp implements App {
    static final String INTERVAL_MS = "interval_ms";
    static final long DEFAULT_INTERVAL_MS = 5000;
    private static final int WORDS = Page.SIZE / Long.BYTES;

    private final long intervalNs;

    CpuBurnApp(CommandLine cl) {
        this.intervalNs = cl.longParam(INTERVAL_MS, DEFAULT_INTERVAL_MS, 10, 3_600_000) * Durations.NS_PER_MS;
    }

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        kernel.println(cpu, "cpuburn: burning on every vCPU, progress every " + Durations.millis(intervalNs));
        burn(kernel, cpu);
    }

    @Override
    public void runSecondary(Kernel kernel, PerCpu cpu) {
        burn(kernel, cpu);
    }

    private void burn(Kernel kernel, PerCpu cpu) {
        GuestMemory m = cpu.memory();
        long page = Page.addressOf(kernel.frames().allocateZeroed(m));
        long x = 0x9E37_79B9_7F4A_7C15L + cpu.id();
        long rounds = 0;
        long start = cpu.now();
        long next = start + intervalNs;
        while (true) {
            for (int i = 0; i < WORDS; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                long a = page + (long) i * Long.BYTES;
                m.putLong(a, m.getLong(a) + x);
            }
            rounds++;
            kernel.schedule(cpu);
            long now = cpu.now();
            if (now >= next) {
                long cpuTime = cpu.hypercalls().runstate(cpu.id()).running();
                kernel.println(cpu, "cpuburn: vCPU " + cpu.id() + ": " + rounds + " rounds in "
                        + Durations.millis(now - start) + ", " + Durations.millis(cpuTime) + " of CPU, checksum "
                        + Long.toHexString(m.getLong(page)));
                next = Math.max(next + intervalNs, now + 1);
            }
        }
    }
}
