package org.hvsim.tools.xl;

import org.hvsim.proto.control.ReadConsoleRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xl dmesg [-c]}: the hypervisor's console ring, printed as it is; {@code -c} also clears it. */
@Command(name = "dmesg", description = "Read and/or clear dmesg buffer", customSynopsis = "xl [-vtT] dmesg [-c]")
final class DmesgCommand extends XlSubcommand {
    @Option(names = {"-c", "--clear"}, description = "Clear dmesg buffer as well as printing it")
    boolean clear;

    DmesgCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws HostNotRunningException {
        String text = env.control().host().readConsole(ReadConsoleRequest.newBuilder().setClear(clear).build())
                .getText();
        env.out().print(text);
        return 0;
    }
}
