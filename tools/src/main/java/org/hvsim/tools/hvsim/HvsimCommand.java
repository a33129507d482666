package org.hvsim.tools.hvsim;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** hvsim itself: without a subcommand it prints its usage and exits 2. */
@Command(name = "hvsim", description = "Start, stop and inspect an hvsim host in $HVSIM_HOME (default ~/.hvsim).",
        synopsisSubcommandLabel = "COMMAND")
public final class HvsimCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help.")
    boolean helpRequested;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
