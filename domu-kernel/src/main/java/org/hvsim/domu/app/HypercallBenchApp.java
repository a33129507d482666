package org.hvsim.domu.app;

import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;

/**
 * {@code hcbench [calls=N]}: times N null hypercalls (xen_version(XENVER_version): no arguments in
 * memory, no side effect) from the guest, with its TSC, in 10 rounds, and prints the mean and the best
 * round per call, publishes them as its result ({@code xl workload-result}), then powers off. What a hypercall costs a guest in hvsim: the trap is a method call.
 */
final class HypercallBenchApp implements App {
    static final String CALLS = "calls";
    static final long DEFAULT_CALLS = 1_000_000;
    static final int ROUNDS = 10;

    private final long calls;

    HypercallBenchApp(CommandLine cl) {
        this.calls = cl.longParam(CALLS, DEFAULT_CALLS, ROUNDS, 1_000_000_000L);
    }

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        long perRound = calls / ROUNDS;
        long total = 0;
        long best = Long.MAX_VALUE;
        long sink = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = cpu.now();
            for (long i = 0; i < perRound; i++) {
                sink += cpu.hypercalls().xenVersion();
            }
            long t = cpu.now() - t0;
            total += t;
            best = Math.min(best, t);
        }
        kernel.println(cpu, "hcbench: " + perRound * ROUNDS + " null hypercalls: mean " + tenths(total, perRound * ROUNDS)
                + " ns, best round " + tenths(best, perRound) + " ns per call (" + (sink & 0xf) + ")");
        kernel.publishResult(cpu, "{\"app\":\"hcbench\",\"calls\":" + perRound * ROUNDS + ",\"total_ns\":" + total
                + ",\"mean_ns\":" + tenths(total, perRound * ROUNDS) + ",\"best_round_ns\":" + tenths(best, perRound) + "}");
    }

    /** {@code ns / n} with one decimal, in integer arithmetic. */
    static String tenths(long ns, long n) {
        long t = ns * 10 / n;
        return t / 10 + "." + t % 10;
    }
}
