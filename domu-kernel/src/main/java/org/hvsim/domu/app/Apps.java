package org.hvsim.domu.app;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hvsim.domu.blkbench.BlkBenchJob;
import org.hvsim.domu.cmdline.CommandLine;

/** The apps this kernel has, by name: the policy table {@code app=} is looked up in. */
public final class Apps {
    /**
     * One app: its name, the parameters it reads, and how it is made from the command line (which may
     * throw {@link org.hvsim.domu.cmdline.CommandLineException} for a bad parameter value).
     */
    public record Spec(String name, Set<String> parameters, Function<CommandLine, App> factory) {}

    private static final List<Spec> SPECS = List.of(
            new Spec("idle", Set.of(), cl -> new IdleApp()),
            new Spec("hello", Set.of(), cl -> new HelloApp()),
            new Spec("cpuburn", Set.of(CpuBurnApp.INTERVAL_MS), CpuBurnApp::new),
            new Spec("crash", Set.of(), cl -> new CrashApp()),
            new Spec("echo", Set.of(), cl -> new EchoApp()),
            new Spec("flood", Set.of(FloodApp.LINES), FloodApp::new),
            new Spec("hcbench", Set.of(HypercallBenchApp.CALLS), HypercallBenchApp::new),
            new Spec("evtchnbench", Set.of(EvtchnBenchApp.PORTS, EvtchnBenchApp.SENDS, EvtchnBenchApp.ROUNDS),
                    EvtchnBenchApp::new),
            new Spec("iolat", Set.of(IoLatencyApp.PERIOD_US, IoLatencyApp.SAMPLES), IoLatencyApp::new),
            new Spec("xenstore", Set.of(), cl -> new XenstoreApp()),
            new Spec("blkbench", BlkBenchJob.PARAMETERS, BlkBenchApp::new),
            new Spec("blkhostile", BlkHostileApp.PARAMETERS, BlkHostileApp::new));

    private Apps() {}

    /** The app called {@code name}, if there is one. */
    public static Optional<Spec> find(String name) {
        return SPECS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Every app's name, in a fixed order. */
    public static List<String> names() {
        return SPECS.stream().map(Spec::name).toList();
    }
}
