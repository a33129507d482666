package org.hvsim.hv.sched.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.hvsim.hv.sched.SchedSim;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.sched.SimReport;
import org.hvsim.hv.sched.SimWorkload;
import org.hvsim.hv.sched.SimWorkloadParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code schedsim [--sched credit|credit-noboost|rr] [--duration 10s] FILE|-}: reads a workload description
 * (the text form of {@link SimWorkloadParser}) from FILE or stdin, runs it under the policy in the pure
 * simulation, and prints {@link SimReportTable}. A workload the parser or the policy refuses is one line on
 * stderr (naming the line, or the domain for a weight or cap out of range) and exit 2, like a bad command
 * line; a file that cannot be read is exit 1. The simulation is deterministic: there is no seed.
 */
@Command(name = "schedsim",
        description = "Run a scheduler policy over a synthetic workload in the pure simulation and print "
                + "each domain's CPU share and wake latencies.",
        customSynopsis = "schedsim [--sched credit|credit-noboost|rr] [--duration 10s] FILE|-")
public final class SchedsimCommand implements Callable<Integer> {
    static final String PROGRAM = "schedsim";

    @Option(names = {"-s", "--sched"}, paramLabel = "POLICY", defaultValue = "credit",
            description = "credit (default), credit-noboost (credit without BOOST) or rr (round robin).")
    String sched;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", defaultValue = "10s",
            description = "Simulated time: a number with ns, us, ms or s (default 10s).")
    String duration;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help.")
    boolean helpRequested;

    @Parameters(index = "0", paramLabel = "FILE|-",
            description = "The workload description; - reads it from stdin. Lines:%n"
                    + "  pcpus N%n"
                    + "  domain ID [weight=256] [cap=0] [vcpus=1] [run=cpu|burst:RUN/BLOCK|yield:TICK/LEAD]"
                    + " [cpus=0-1]")
    String file;

    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;

    public SchedsimCommand(InputStream in, PrintWriter out, PrintWriter err) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    @Override
    public Integer call() {
        try {
            SchedChoice choice;
            long durationNs;
            try {
                choice = SchedChoice.of(sched);
                durationNs = SimDuration.parse(duration);
            } catch (IllegalArgumentException e) {
                return fail(2, e.getMessage());
            }
            String source = file.equals("-") ? "stdin" : file;
            String text;
            try {
                text = file.equals("-") ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return fail(1, "cannot read " + source + ": " + describe(e));
            }
            SimWorkload workload;
            SimReport report;
            try {
                workload = SimWorkloadParser.parse(text);
                SchedulerPolicy policy = choice.newPolicy();
                report = SchedSim.run(policy, workload, durationNs, choice.params(policy), false);
            } catch (IllegalArgumentException e) {
                return fail(2, source + ": " + e.getMessage());
            }
            out.print(SimReportTable.text(choice, workload, report));
            return 0;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int fail(int code, String message) {
        err.println(PROGRAM + ": " + message);
        return code;
    }

    private static String describe(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.charset.CharacterCodingException c -> "not UTF-8 text";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
