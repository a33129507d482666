package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.format.DomainListFormat;
import org.hvsim.tools.xlcfg.DomainConfigJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl list [-l] [-v] [-Z] [Domain]}: the domain table, or with {@code -l} each domain's configuration
 * as JSON. A domain id that does not exist is {@code Error: Domain '<id>' does not exist.}; an unknown
 * name is xl's invalid-identifier error. Both exit 1.
 */
@Command(name = "list", description = "List information about all/some domains",
        customSynopsis = "xl [-vtT] list [options] [Domain]")
final class ListCommand extends XlSubcommand {
    @Option(names = {"-l", "--long"}, description = "Output all VM details")
    boolean details;

    @Option(names = {"-v", "--verbose"}, description = "Prints out UUIDs and security context")
    boolean verbose;

    @Option(names = {"-Z", "--context"}, description = "Prints out security context")
    boolean context;

    @Parameters(arity = "0..1", paramLabel = "Domain")
    String domain;

    ListCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        ListDomainsRequest request = ListDomainsRequest.newBuilder()
                .setDomain(domain == null ? "" : domain)
                .setWithConfig(details)
                .build();
        List<DomainInfo> domains;
        try {
            domains = new ArrayList<>(env.control().domains().listDomains(request).getDomainsList());
        } catch (StatusRuntimeException e) {
            if (domain != null && DomainQualifier.isNotFound(e)) {
                throw XlFailure.line(DomainQualifier.isDomid(domain)
                        ? "Error: Domain '" + domain + "' does not exist."
                        : DomainQualifier.invalidIdentifier(domain));
            }
            throw e;
        }
        domains.sort(Comparator.comparingLong(d -> Integer.toUnsignedLong(d.getDomid())));
        if (details) {
            List<Map.Entry<Integer, DomainConfig>> configs = new ArrayList<>();
            for (DomainInfo d : domains) {
                if (d.hasConfig()) {
                    configs.add(Map.entry(d.getDomid(), d.getConfig()));
                }
            }
            env.out().print(DomainConfigJson.array(configs));
            return 0;
        }
        DomainListFormat format = new DomainListFormat(verbose, context);
        env.out().print(format.header());
        for (DomainInfo d : domains) {
            env.out().print(format.row(d));
        }
        return 0;
    }
}
