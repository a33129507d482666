package org.hvsim.tools.xl;

import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.console.EscapeCharacter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl console [-t pv] [-n N] [-e escape] <Domain>}: attach to a domain's console; Ctrl-] (or the
 * {@code -e} character) detaches. hvsim domains have one console, the PV console 0: another type or number
 * cannot be attached.
 */
@Command(name = "console", description = "Attach to domain's console",
        customSynopsis = "xl [-vtT] console [options] <Domain>")
final class ConsoleCommand extends XlSubcommand {
    static final String CONSOLE_NAMES = "pv, serial, vuart";

    @Option(names = "-t", paramLabel = "<type>", description = "console type, pv , serial or vuart")
    String type;

    @Option(names = "-n", paramLabel = "<number>", description = "console number")
    String number;

    @Option(names = "-e", paramLabel = "<escapechar>", description = "escape character (default ^])")
    String escape;

    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    ConsoleCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        if (type != null && !type.equals("pv") && !type.equals("serial") && !type.equals("vuart")) {
            throw XlFailure.line("console type supported are: " + CONSOLE_NAMES);
        }
        int escapeByte = EscapeCharacter.DEFAULT;
        if (escape != null) {
            escapeByte = EscapeCharacter.parse(escape);
            if (escapeByte < 0) {
                throw XlFailure.line("Invalid escape_character");
            }
        }
        long domid = DomainQualifier.find(env, domain);
        if ((type != null && !type.equals("pv")) || (number != null && atoi(number) != 0)) {
            throw XlFailure.line("Unable to attach console");
        }
        return ConsoleAttachment.run(env, Long.toString(domid), escapeByte, attachedDomid -> { });
    }

    /** C's {@code atoi}: leading blanks, a sign, digits; 0 when there are none. */
    static long atoi(String s) {
        Long value = DomnameCommand.strtol(s);
        return value == null ? 0 : value;
    }
}
