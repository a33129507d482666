package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.SetMemoryRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xl mem-max <Domain> <Mem>} (xl_mem.c): sets the domain's maximum reservation (XEN_DOMCTL_max_mem) and its
 * {@code ~/memory/static-max} in KiB.
 */
@Command(name = "mem-max", description = "Set the maximum amount reservation for a domain",
        customSynopsis = "xl [-vftT] mem-max <Domain> <Mem>")
final class MemMaxCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    @Parameters(index = "1", paramLabel = "Mem")
    String mem;

    MemMaxCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        long kb = MemSize.parseKb(mem);
        if (kb == -1) {
            throw XlFailure.line("invalid memory size: " + mem);
        }
        try {
            env.control().domains().setMemoryMax(SetMemoryRequest.newBuilder()
                    .setDomain(Long.toString(domid)).setMemkb(kb).build());
        } catch (StatusRuntimeException e) {
            throw refused(e, "cannot set domid " + domid + " static max memory to : " + mem);
        }
        return 0;
    }
}
