package org.hvsim.tools.xl;

import org.hvsim.proto.control.ShutdownKind;
import picocli.CommandLine.Command;

/** {@code xl reboot [-a] [-w] [-F] <-a|Domain>}: ask a guest to reboot (see {@link ShutdownOrReboot}). */
@Command(name = "reboot", description = "Issue a reboot signal to a domain",
        customSynopsis = "xl [-vftT] reboot [options] <-a|Domain>")
final class RebootCommand extends ShutdownOrReboot {
    RebootCommand(XlEnvironment env) {
        super(env, ShutdownKind.SHUTDOWN_KIND_REBOOT, "Rebooting", "reboot");
    }
}
