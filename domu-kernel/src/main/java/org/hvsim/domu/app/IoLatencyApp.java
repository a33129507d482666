package org.hvsim.domu.app;

import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;

/**
 * {@code iolat [period_us=P] [samples=N]}: an I/O-style guest that does almost nothing but wait. Forever, it
 * arms its timer for now + P µs (default 1000), blocks until it fires, and records how late it runs again
 * (its clock's reading on waking minus the deadline: timer delivery plus the time the scheduler kept it
 * waiting); every N wakes (default 1000) it prints one line:
 * {@code iolat: report R: N wakes: p50 X us, p99 Y us, p99.9 Z us, max W us}. What BOOST is for: its wake
 * latency next to CPU burners.
 */
final class IoLatencyApp implements App {
    static final String PERIOD_US = "period_us";
    static final String SAMPLES = "samples";
    static final long DEFAULT_PERIOD_US = 1000;
    static final long DEFAULT_SAMPLES = 1000;

    private final long periodNs;
    private final int samples;

    IoLatencyApp(CommandLine cl) {
        this.periodNs = cl.longParam(PERIOD_US, DEFAULT_PERIOD_US, 10, 10_000_000) * 1000;
        this.samples = (int) cl.longParam(SAMPLES, DEFAULT_SAMPLES, 1, 1_000_000);
    }

    long periodNs() {
        return periodNs;
    }

    int samples() {
        return samples;
    }

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        kernel.println(cpu, "iolat: waking every " + periodNs / 1000 + " us, a report every " + samples + " wakes");
        WakeLatencies latencies = new WakeLatencies(samples);
        long reports = 0;
        while (true) {
            long deadline = cpu.now() + periodNs;
            kernel.timers().sleepUntil(cpu, deadline);
            latencies.record(cpu.now() - deadline);
            if (latencies.full()) {
                kernel.println(cpu, latencies.report(++reports));
            }
            kernel.schedule(cpu);
        }
    }
}
