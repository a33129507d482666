package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.DestroyDomainRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xl destroy [-f] <Domain>}: kill a domain at once; domain 0 only with {@code -f}. */
@Command(name = "destroy", description = "Terminate a domain immediately",
        customSynopsis = "xl [-vftT] destroy [options] <Domain>")
final class DestroyCommand extends XlSubcommand {
    @Option(names = "-f", description = {
        "Permit destroying domain 0, which will only succeed",
        "when run from disaggregated toolstack domain with a",
        "hardware domain distinct from domain 0."})
    boolean force;

    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    DestroyCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        if (domid == 0 && !force) {
            throw new XlFailure("Not destroying domain 0; use -f to force.\n"
                    + "This can only be done when using a disaggregated hardware domain and toolstack.\n\n", 1);
        }
        try {
            env.control().domains().destroyDomain(DestroyDomainRequest.newBuilder()
                    .setDomain(Long.toString(domid)).setForce(force).build());
        } catch (StatusRuntimeException e) {
            if (DomainQualifier.isNotFound(e)) {
                throw XlFailure.line("destroy failed (rc=" + DomainQualifier.ERROR_DOMAIN_NOTFOUND + ")");
            }
            throw refused(e, "destroy failed");
        }
        return 0;
    }
}
