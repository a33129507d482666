package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.RenameDomainRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code xl rename <Domain> <NewDomainName>}; any refusal prints dom0's reason, then xl's own line. */
@Command(name = "rename", description = "Rename a domain", customSynopsis = "xl [-vftT] rename <Domain> <NewDomainName>")
final class RenameCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    @Parameters(index = "1", paramLabel = "NewDomainName")
    String newName;

    RenameCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        try {
            env.control().domains().renameDomain(RenameDomainRequest.newBuilder()
                    .setDomain(Long.toString(domid)).setNewName(newName).build());
        } catch (StatusRuntimeException e) {
            throw refused(e, "Can't rename domain '" + domain + "'.");
        }
        return 0;
    }
}
