package org.hvsim.tools.xl;

import java.util.Map;
import org.hvsim.tools.xl.format.Text;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xl help [subcommand]}: the list of subcommands in xl's layout ({@code " %-19s %s"}), or one
 * subcommand's usage. Always exits 0, as xl's help does.
 */
@Command(name = "help", description = "Print the list of subcommands, or a subcommand's usage",
        customSynopsis = "xl help [<subcommand>]")
final class HelpCommand extends XlSubcommand {
    private static final int NAME_WIDTH = 19;

    @Parameters(arity = "0..1", paramLabel = "subcommand")
    String command;

    @Spec
    CommandSpec spec;

    HelpCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() {
        CommandSpec xl = spec.parent();
        if (command == null || command.equals("help")) {
            env.out().print(overview(xl));
            return 0;
        }
        String name = XlCommandLine.lookup(command, xl.subcommands().keySet());
        CommandLine sub = name == null ? null : xl.subcommands().get(name);
        if (sub == null) {
            env.out().print("command \"" + command + "\" not implemented\n");
            return 0;
        }
        env.out().print(sub.getUsageMessage());
        return 0;
    }

    /** xl's full list of subcommands. */
    static String overview(CommandSpec xl) {
        StringBuilder out = new StringBuilder("Usage xl [-vfNtT] <subcommand> [args]\n\nxl full list of subcommands:\n\n");
        for (Map.Entry<String, CommandLine> entry : xl.subcommands().entrySet()) {
            String name = entry.getKey();
            out.append(' ').append(Text.padRight(name, NAME_WIDTH)).append(' ');
            if (name.length() > NAME_WIDTH) {
                out.append("\n ").append(" ".repeat(NAME_WIDTH)).append(' ');
            }
            String[] description = entry.getValue().getCommandSpec().usageMessage().description();
            out.append(description.length > 0 ? description[0] : "").append('\n');
        }
        return out.toString();
    }
}
