package org.hvsim.domu.app;

import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.hv.abi.DomId;

/**
 * {@code evtchnbench [ports=P] [sends=N] [rounds=R]}: allocates P extra event channel ports (unbound,
 * for dom0, as a backend would find them), binds an IPI port to vCPU 0, then in each of R rounds times
 * N {@code EVTCHNOP_send}s on it with its TSC and prints one line per round:
 * {@code evtchnbench: round R: N sends, X ns per send, S sends/s}. Then it idles with its ports open,
 * so that they can be listed. The send path's cost as the guest sees it, for comparing with and
 * without an event channel watcher attached.
 */
final class EvtchnBenchApp implements App {
    static final String PORTS = "ports";
    static final String SENDS = "sends";
    static final String ROUNDS = "rounds";

    private final long ports;
    private final long sends;
    private final long rounds;

    EvtchnBenchApp(CommandLine cl) {
        this.ports = cl.longParam(PORTS, 0, 0, 4000);
        this.sends = cl.longParam(SENDS, 1_000_000, 1, 1_000_000_000L);
        this.rounds = cl.longParam(ROUNDS, 10, 1, 1_000_000L);
    }

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        for (long i = 0; i < ports; i++) {
            kernel.channels().allocUnbound(cpu, DomId.DOM0, (c, port) -> { });
        }
        if (ports > 0) {
            kernel.println(cpu, "evtchnbench: " + ports + " extra ports bound");
        }
        AtomicLong handled = new AtomicLong();
        int port = kernel.channels().bindIpi(cpu, cpu.id(), (c, p) -> handled.incrementAndGet());
        for (long r = 1; r <= rounds; r++) {
            long t0 = cpu.now();
            for (long i = 0; i < sends; i++) {
                kernel.channels().send(cpu, port);
            }
            long t = Math.max(1, cpu.now() - t0);
            kernel.println(cpu, "evtchnbench: round " + r + ": " + sends + " sends, "
                    + HypercallBenchApp.tenths(t, sends) + " ns per send, " + sends * 1_000_000_000L / t + " sends/s");
        }
        kernel.println(cpu, "evtchnbench: done (" + handled.get() + " IPIs handled)");
        kernel.idle(cpu);
    }
}
