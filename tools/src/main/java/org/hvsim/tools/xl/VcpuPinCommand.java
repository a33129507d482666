package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.SetVcpuAffinityRequest;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xlcfg.CpuList;
import org.hvsim.tools.xlcfg.XlSpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl vcpu-pin [-f] [-i] <Domain> <VCPU|all> <Hard|-|all> [<Soft|-|all>]} (xl_vcpu.c main_vcpupin):
 * sets a vCPU's (or every vCPU's) hard and soft affinity, "-" leaving one alone; CPU lists in xl's syntax
 * ({@code 0-3,^1}, {@code all}). A list that names no pCPU of the host is the hypervisor's -EINVAL, and
 * xl says it could not set the affinity. hvsim keeps no global affinity masks, so {@code -i} changes
 * nothing; {@code -f} is accepted as xl accepts it (there is no stored configuration to override).
 */
@Command(name = "vcpu-pin", description = "Set which CPUs a VCPU can use",
        customSynopsis = "xl [-vtT] vcpu-pin [-f|--force] [-i|--ignore-global-affinity-masks] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>")
final class VcpuPinCommand extends XlSubcommand {
    @Option(names = {"-f", "--force"}, description = "Undo an override pinning done by the kernel")
    boolean force;

    @Option(names = {"-i", "--ignore-global-affinity-masks"}, description = "Ignore global masks")
    boolean ignoreMasks;

    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    @Parameters(index = "1", paramLabel = "VCPU|all")
    String vcpu;

    @Parameters(index = "2", paramLabel = "Hard affinity|-|all")
    String hard;

    @Parameters(index = "3", arity = "0..1", paramLabel = "Soft affinity|-|all")
    String soft;

    VcpuPinCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        int vcpuId;
        if (vcpu.matches("[0-9]+") && vcpu.length() <= 9) {
            vcpuId = Integer.parseInt(vcpu);
        } else if (vcpu.equals("all")) {
            if (force) {
                throw XlFailure.line("Error: --force and 'all' as VCPU not allowed.");
            }
            vcpuId = -1;
        } else {
            throw XlFailure.line("Error: Invalid argument " + vcpu + " as VCPU.");
        }
        SetVcpuAffinityRequest.Builder req = SetVcpuAffinityRequest.newBuilder()
                .setDomain(Long.toString(domid)).setVcpu(vcpuId);
        CpuSet h = cpus(hard);
        if (h != null) {
            req.setHard(h);
        }
        CpuSet s = soft == null ? null : cpus(soft);
        if (s != null) {
            req.setSoft(s);
        }
        try {
            env.control().domains().setVcpuAffinity(req.build());
        } catch (StatusRuntimeException e) {
            if (vcpuId == -1) {
                // xl reports a failure on "all" and still exits 0, as xl_vcpu.c does.
                env.err().print(describe(e) + "\nCould not set affinity.\n");
                return 0;
            }
            throw refused(e, "Could not set affinity for vcpu `" + vcpuId + "'.");
        }
        return 0;
    }

    /** A CPU list in xl's syntax, or null for "-". */
    private static CpuSet cpus(String text) throws XlFailure {
        if (text.equals("-")) {
            return null;
        }
        try {
            return CpuList.parse(text);
        } catch (XlSpecException e) {
            throw XlFailure.line(e.getMessage());
        }
    }
}
