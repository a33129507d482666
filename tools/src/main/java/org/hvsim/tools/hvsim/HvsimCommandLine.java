package org.hvsim.tools.hvsim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/** Assembles hvsim: its subcommands (adding one is its class and one line in {@link #SUBCOMMANDS}). */
public final class HvsimCommandLine {
    /** The subcommands in help order; each name is its class's {@code @Command(name)} (a test holds them equal). */
    private static final Map<String, Function<HvsimEnvironment, HvsimSubcommand>> SUBCOMMANDS = subcommands();

    private HvsimCommandLine() {
    }

    private static Map<String, Function<HvsimEnvironment, HvsimSubcommand>> subcommands() {
        Map<String, Function<HvsimEnvironment, HvsimSubcommand>> table = new LinkedHashMap<>();
        table.put("start", StartCommand::new);
        table.put("stop", StopCommand::new);
        table.put("status", StatusCommand::new);
        table.put("xenstore-path", XenstorePathCommand::new);
        table.put("demo", DemoCommand::new);
        table.put("bench", BenchCommand::new);
        table.put("bench-evtchn", EvtchnBenchCommand::new);
        table.put("bench-sched", SchedBenchCommand::new);
        table.put("bench-blk", BlkBenchCommand::new);
        return table;
    }

    /** The subcommands' names, in help order. */
    static Iterable<String> subcommandNames() {
        return SUBCOMMANDS.keySet();
    }

    public static CommandLine create(HvsimEnvironment env) {
        CommandLine cl = new CommandLine(new HvsimCommand());
        SUBCOMMANDS.forEach((name, factory) -> cl.addSubcommand(name, factory.apply(env)));
        cl.setOut(env.out());
        cl.setErr(env.err());
        return cl;
    }

    /** Runs hvsim with {@code args}; returns the exit code. */
    public static int run(HvsimEnvironment env, String... args) {
        int exit = create(env).execute(args);
        env.out().flush();
        env.err().flush();
        return exit;
    }
}
