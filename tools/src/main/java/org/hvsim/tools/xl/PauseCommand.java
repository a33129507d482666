package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xl pause <Domain>}: the domain keeps its memory but is not scheduled. xl ignores libxl's result
 * here and exits 0 even when the domain id does not exist; hvsim reports that and exits 1.
 */
@Command(name = "pause", description = "Pause execution of a domain", customSynopsis = "xl [-vftT] pause <Domain>")
final class PauseCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    PauseCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        try {
            env.control().domains().pauseDomain(DomainRef.newBuilder().setDomain(Long.toString(domid)).build());
        } catch (StatusRuntimeException e) {
            throw refused(e, null);
        }
        return 0;
    }
}
