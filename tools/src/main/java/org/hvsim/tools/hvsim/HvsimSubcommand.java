package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What hvsim's subcommands share: {@code -h}, the environment, and how a failure ends the command. */
public abstract class HvsimSubcommand implements Callable<Integer> {
    protected final HvsimEnvironment env;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help.")
    boolean helpRequested;

    protected HvsimSubcommand(HvsimEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** The command's work; returns its exit code. */
    protected abstract int run() throws HvsimFailure, IOException;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (HvsimFailure f) {
            env.out().flush();
            env.err().print("hvsim: " + f.getMessage() + "\n");
            return f.exitCode();
        } catch (IOException e) {
            env.out().flush();
            env.err().print("hvsim: " + e + "\n");
            return 1;
        } finally {
            env.out().flush();
            env.err().flush();
        }
    }

    /** A line on stdout, prefixed {@code hvsim: }. */
    protected final void say(String message) {
        env.out().print("hvsim: " + message + "\n");
        env.out().flush();
    }
}
