package org.hvsim.tools.xl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Assembles xl: the subcommands (adding one is its class and one line in {@link #SUBCOMMANDS}), and xl's behaviour around
 * them: a subcommand may be abbreviated to any unambiguous prefix ({@code cmdtable_lookup}), an unknown
 * one is {@code command not implemented}, a bad option or a missing argument is reported as xl does and
 * exits 2, and the global {@code -N} is refused by commands that cannot dry-run.
 */
public final class XlCommandLine {
    private XlCommandLine() {
    }

    /** How to make one subcommand; {@code xl} carries the global options the subcommand may need. */
    @FunctionalInterface
    private interface Factory {
        XlSubcommand create(XlEnvironment env, XlCommand xl);
    }

    /**
     * The subcommands, in the order {@code xl help} lists them. Each name is its class's
     * {@code @Command(name)}; a test holds them equal. Only the subcommand being run is handed to picocli
     * (picocli reads a command's annotations when it is added, which costs startup time).
     */
    private static final Map<String, Factory> SUBCOMMANDS = subcommands();

    private static Map<String, Factory> subcommands() {
        Map<String, Factory> table = new LinkedHashMap<>();
        table.put("create", CreateCommand::new);
        table.put("list", (env, xl) -> new ListCommand(env));
        table.put("destroy", (env, xl) -> new DestroyCommand(env));
        table.put("shutdown", (env, xl) -> new ShutdownCommand(env));
        table.put("reboot", (env, xl) -> new RebootCommand(env));
        table.put("pause", (env, xl) -> new PauseCommand(env));
        table.put("unpause", (env, xl) -> new UnpauseCommand(env));
        table.put("console", (env, xl) -> new ConsoleCommand(env));
        table.put("vcpu-list", (env, xl) -> new VcpuListCommand(env));
        table.put("vcpu-pin", (env, xl) -> new VcpuPinCommand(env));
        table.put("vcpu-set", (env, xl) -> new VcpuSetCommand(env));
        table.put("block-attach", (env, xl) -> new BlockAttachCommand(env));
        table.put("block-list", (env, xl) -> new BlockListCommand(env));
        table.put("block-detach", (env, xl) -> new BlockDetachCommand(env));
        table.put("sched-credit", (env, xl) -> new SchedCreditCommand(env));
        table.put("info", (env, xl) -> new InfoCommand(env));
        table.put("domid", (env, xl) -> new DomidCommand(env));
        table.put("domname", (env, xl) -> new DomnameCommand(env));
        table.put("rename", (env, xl) -> new RenameCommand(env));
        table.put("mem-set", (env, xl) -> new MemSetCommand(env));
        table.put("mem-max", (env, xl) -> new MemMaxCommand(env));
        table.put("dmesg", (env, xl) -> new DmesgCommand(env));
        table.put("uptime", (env, xl) -> new UptimeCommand(env));
        table.put("evtchn-watch", (env, xl) -> new EvtchnWatchCommand(env));
        table.put("vcpu-runstate", (env, xl) -> new VcpuRunstateCommand(env));
        table.put("workload-result", (env, xl) -> new WorkloadResultCommand(env));
        table.put("help", (env, xl) -> new HelpCommand(env));
        return Collections.unmodifiableMap(table);
    }

    /** The subcommands' names, in {@code xl help}'s order. */
    static Set<String> subcommandNames() {
        return SUBCOMMANDS.keySet();
    }

    /** xl over {@code env} with every subcommand; {@link CommandLine#execute} runs one invocation. */
    public static CommandLine create(XlEnvironment env) {
        return create(env, SUBCOMMANDS.keySet());
    }

    /** xl over {@code env} with only the subcommands {@code names}. */
    static CommandLine create(XlEnvironment env, Collection<String> names) {
        XlCommand xl = new XlCommand(env);
        CommandLine cl = new CommandLine(xl);
        for (String name : names) {
            cl.addSubcommand(name, SUBCOMMANDS.get(name).create(env, xl));
        }
        cl.setOut(env.out());
        cl.setErr(env.err());
        cl.setOverwrittenOptionsAllowed(true);
        cl.setParameterExceptionHandler(XlCommandLine::parameterError);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            env.out().flush();
            env.err().print("xl: internal error: " + ex + "\n");
            if (xl.verbose()) {
                ex.printStackTrace(env.err());
            }
            env.err().flush();
            return 1;
        });
        cl.setExecutionStrategy(parseResult -> execute(xl, env, parseResult));
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage()
                    .synopsisHeading("Usage: ")
                    .descriptionHeading("%n")
                    .optionListHeading("%nOptions:%n%n")
                    .parameterListHeading("%n");
        }
        return cl;
    }

    /**
     * Runs xl with {@code args}: resolves an abbreviated subcommand, then parses and executes with that
     * subcommand alone (all of them for {@code help}, no subcommand, or one xl does not have).
     */
    public static int run(XlEnvironment env, String... args) {
        String[] resolved = resolveSubcommand(args, SUBCOMMANDS.keySet());
        int at = subcommandIndex(resolved);
        String name = at < 0 ? null : resolved[at];
        boolean alone = name != null && SUBCOMMANDS.containsKey(name) && !name.equals("help");
        CommandLine cl = create(env, alone ? List.of(name) : SUBCOMMANDS.keySet());
        return cl.execute(resolved);
    }

    /** Where the subcommand is: the first argument that is not a global option; -1 if there is none. */
    private static int subcommandIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!(args[i].startsWith("-") && args[i].length() > 1)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code args} with the subcommand spelled out in full if it is an unambiguous prefix of one. */
    static String[] resolveSubcommand(String[] args, Collection<String> names) {
        String[] resolved = Arrays.copyOf(args, args.length);
        int at = subcommandIndex(resolved);
        if (at >= 0) {
            String name = lookup(resolved[at], names);
            if (name != null) {
                resolved[at] = name;
            }
        }
        return resolved;
    }

    /** xl's {@code cmdtable_lookup}: an exact name, or the one name {@code s} is a prefix of; else null. */
    static String lookup(String s, Collection<String> names) {
        if (names.contains(s)) {
            return s;
        }
        List<String> matches = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith(s)) {
                matches.add(name);
            }
        }
        return matches.size() == 1 ? matches.get(0) : null;
    }

    private static int execute(XlCommand xl, XlEnvironment env, ParseResult parseResult) {
        Integer help = CommandLine.executeHelpRequest(parseResult);
        if (help != null) {
            return help;
        }
        if (xl.dryRun() && parseResult.hasSubcommand()
                && !(parseResult.subcommand().commandSpec().userObject() instanceof CreateCommand)) {
            env.err().print("command does not implement -N (dryrun) option\n");
            env.err().flush();
            return 1;
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    private static int parameterError(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        PrintWriter out = cl.getOut();
        try {
            CommandSpec spec = cl.getCommandSpec();
            if (spec.parent() == null) {
                boolean option = ex instanceof CommandLine.UnmatchedArgumentException u
                        && !u.getUnmatched().isEmpty() && u.getUnmatched().get(0).startsWith("-");
                err.print(option ? "unknown global option\n" : "command not implemented\n");
                return 1;
            }
            if (ex instanceof CommandLine.MissingParameterException) {
                int required = 0;
                for (PositionalParamSpec p : spec.positionalParameters()) {
                    required += p.arity().min();
                }
                err.print("'xl " + spec.name() + "' requires at least " + required + " argument"
                        + (required > 1 ? "s" : "") + ".\n\n");
                err.flush();
                out.print(cl.getUsageMessage());
                return 2;
            }
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                    && u.getUnmatched().get(0).startsWith("-")) {
                String option = u.getUnmatched().get(0);
                String name = option.startsWith("--") ? option : option.substring(1, 2);
                err.print("option `" + name + "' not supported.\n");
                return 2;
            }
            err.print(ex.getMessage() + "\n\n");
            err.flush();
            out.print(cl.getUsageMessage());
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
