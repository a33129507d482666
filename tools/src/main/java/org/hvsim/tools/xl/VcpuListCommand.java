package org.hvsim.tools.xl;

import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hvsim.proto.control.ListVcpusRequest;
import org.hvsim.proto.control.VcpuInfo;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.format.VcpuListFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xl vcpu-list [Domain ...]}: every vCPU of every (or each named) domain. As in xl the header comes
 * first, an unknown name then ends xl, and a domain id that does not exist is reported and skipped.
 */
@Command(name = "vcpu-list", description = "List the VCPUs for all/some domains",
        customSynopsis = "xl [-vtT] vcpu-list [Domain, ...]")
final class VcpuListCommand extends XlSubcommand {
    @Parameters(arity = "0..*", paramLabel = "Domain")
    List<String> domains = List.of();

    VcpuListCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        int nrCpus = env.control().host().getHostInfo(Empty.getDefaultInstance()).getNrCpus();
        VcpuListFormat format = new VcpuListFormat(nrCpus);
        env.out().print(VcpuListFormat.HEADER);
        if (domains.isEmpty()) {
            print(format, env.control().domains().listVcpus(ListVcpusRequest.getDefaultInstance()).getVcpusList());
            return 0;
        }
        for (String qualifier : domains) {
            long domid = DomainQualifier.find(env, qualifier);
            try {
                print(format, env.control().domains().listVcpus(ListVcpusRequest.newBuilder()
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

    private void print(VcpuListFormat format, List<VcpuInfo> vcpus) {
        List<VcpuInfo> sorted = new ArrayList<>(vcpus);
        sorted.sort(Comparator.comparingLong((VcpuInfo v) -> Integer.toUnsignedLong(v.getDomid()))
                .thenComparingLong(v -> Integer.toUnsignedLong(v.getVcpu())));
        for (VcpuInfo v : sorted) {
            env.out().print(format.row(v));
        }
    }
}
