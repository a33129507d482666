package org.hvsim.tools.xl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * xl itself: the global options, which come before the subcommand as in xl ({@code -v} verbose, {@code -N}
 * dry run, {@code -f} force, {@code -t} progress with CR, {@code -T} timestamps). Without a subcommand xl
 * prints the list of subcommands and exits 1.
 */
@Command(name = "xl", customSynopsis = "xl [-vfNtT] <subcommand> [args]")
public final class XlCommand implements Callable<Integer> {
    @Option(names = "-v", description = "Verbose.")
    boolean[] verbose = new boolean[0];

    @Option(names = "-N", description = "Dry run: only commands that can (create) print what they would do.")
    boolean dryRun;

    @Option(names = "-f", description = "Force execution.")
    boolean force;

    @Option(names = "-t", description = "Overwrite progress lines with CR.")
    boolean progressWithCr;

    @Option(names = "-T", description = "Timestamps in log lines.")
    boolean timestamps;

    @Spec
    CommandSpec spec;

    private final XlEnvironment env;

    XlCommand(XlEnvironment env) {
        this.env = env;
    }

    /** xl's global {@code -v}, given at least once. */
    boolean verbose() {
        return verbose.length > 0;
    }

    /** xl's global {@code -N}. */
    boolean dryRun() {
        return dryRun;
    }

    @Override
    public Integer call() {
        env.out().print(HelpCommand.overview(spec));
        env.out().flush();
        return 1;
    }
}
