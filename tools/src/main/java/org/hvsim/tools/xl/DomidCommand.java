package org.hvsim.tools.xl;

import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code xl domid <DomainName>}: the id of the domain with exactly this name (digits are a name here too). */
@Command(name = "domid", description = "Convert a domain name to domain id", customSynopsis = "xl [-vtT] domid <DomainName>")
final class DomidCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "DomainName")
    String name;

    DomidCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        for (DomainInfo d : env.control().domains().listDomains(ListDomainsRequest.getDefaultInstance())
                .getDomainsList()) {
            if (d.getName().equals(name)) {
                env.out().print(Integer.toUnsignedString(d.getDomid()) + "\n");
                return 0;
            }
        }
        throw XlFailure.line("Can't get domid of domain name '" + name + "', maybe this domain does not exist.");
    }
}
