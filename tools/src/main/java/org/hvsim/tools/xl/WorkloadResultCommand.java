package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.proto.control.WorkloadResult;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xl workload-result <Domain>} (hvsim's own): the result the domain's workload left (a guest app such
 * as blkbench or hcbench publishes one JSON object when it finishes), printed as that JSON on one line. It is
 * there while the domain is listed, also after it has shut down (with {@code on_poweroff="preserve"}). A
 * domain that left none: dom0's message, exit 1.
 */
@Command(name = "workload-result", description = "Print the result of a domain's workload, as JSON",
        customSynopsis = "xl [-vtT] workload-result <Domain>")
final class WorkloadResultCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    WorkloadResultCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        WorkloadResult result;
        try {
            result = env.control().domains().getWorkloadResult(DomainRef.newBuilder().setDomain(Long.toString(domid))
                    .build());
        } catch (StatusRuntimeException e) {
            throw refused(e, null);
        }
        env.out().print(result.getJson() + "\n");
        return 0;
    }
}
