package org.hvsim.tools.xl;

import org.hvsim.proto.control.ShutdownKind;
import picocli.CommandLine.Command;

/** {@code xl shutdown [-a] [-w] [-F] <-a|Domain>}: ask a guest to power off (see {@link ShutdownOrReboot}). */
@Command(name = "shutdown", description = "Issue a shutdown signal to a domain",
        customSynopsis = "xl [-vftT] shutdown [options] <-a|Domain>")
final class ShutdownCommand extends ShutdownOrReboot {
    ShutdownCommand(XlEnvironment env) {
        super(env, ShutdownKind.SHUTDOWN_KIND_POWEROFF, "Shutting down", "shutdown");
    }
}
