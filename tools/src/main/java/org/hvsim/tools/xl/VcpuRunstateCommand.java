package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hvsim.proto.control.ListVcpusRequest;
import org.hvsim.proto.control.VcpuInfo;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.format.VcpuRunstateFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xl vcpu-runstate [Domain ...]}: where every vCPU of every (or each named) domain has spent its
 * time, running, runnable, blocked and offline ({@link VcpuRunstateFormat}). Not in Xen's xl: hvsim's own
 * (Xen's tools have no command for the runstate times). Domains are named as for {@code xl vcpu-list}: the
 * header comes first, an unknown name then ends xl, and a domain id that does not exist is reported and
 * skipped.
 */
@Command(name = "vcpu-runstate", description = "Show the time VCPUs spent running, runnable, blocked, offline (hvsim)",
        customSynopsis = "xl [-vtT] vcpu-runstate [Domain, ...]")
final class VcpuRunstateCommand extends XlSubcommand {
    @Parameters(arity = "0..*", paramLabel = "Domain")
    List<String> domains = List.of();

    VcpuRunstateCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        env.out().print(VcpuRunstateFormat.HEADER);
        if (domains.isEmpty()) {
            print(env.control().domains().listVcpus(ListVcpusRequest.getDefaultInstance()).getVcpusList());
            return 0;
        }
        for (String qualifier : domains) {
            long domid = DomainQualifier.find(env, qualifier);
            try {
                print(env.control().domains().listVcpus(ListVcpusRequest.newBuilder()
                        .addDomains(Long.toString(domid)).build()).getVcpusList());
            } catch (StatusRuntimeException e) {
                if (!DomainQualifier.isNotFound(e)) {
                    throw e;
                }
                env.out().flush();
                env.err().print(describe(e) + "\n");
            }
        }
        return 0;
    }

    private void print(List<VcpuInfo> vcpus) {
        List<VcpuInfo> sorted = new ArrayList<>(vcpus);
        sorted.sort(Comparator.comparingLong((VcpuInfo v) -> Integer.toUnsignedLong(v.getDomid()))
                .thenComparingLong(v -> Integer.toUnsignedLong(v.getVcpu())));
        for (VcpuInfo v : sorted) {
            env.out().print(VcpuRunstateFormat.row(v));
        }
    }
}
