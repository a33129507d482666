package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code xl unpause <Domain>}: make a paused domain schedulable again (see {@link PauseCommand} on errors). */
@Command(name = "unpause", description = "Unpause a paused domain", customSynopsis = "xl [-vftT] unpause <Domain>")
final class UnpauseCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    UnpauseCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        try {
            env.control().domains().unpauseDomain(DomainRef.newBuilder().setDomain(Long.toString(domid)).build());
        } catch (StatusRuntimeException e) {
            throw refused(e, null);
        }
        return 0;
    }
}
