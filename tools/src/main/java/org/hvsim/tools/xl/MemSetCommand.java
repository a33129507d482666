package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.SetMemoryRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xl mem-set <Domain> <Mem>} (xl_mem.c): sets the domain's memory target, which dom0 writes to its
 * {@code ~/memory/target} in KiB for the guest's balloon driver.
 */
@Command(name = "mem-set", description = "Set the current memory usage for a domain",
        customSynopsis = "xl [-vftT] mem-set <Domain> <Mem>")
final class MemSetCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    @Parameters(index = "1", paramLabel = "Mem")
    String mem;

    MemSetCommand(XlEnvironment env) {
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
            env.control().domains().setMemoryTarget(SetMemoryRequest.newBuilder()
                    .setDomain(Long.toString(domid)).setMemkb(kb).build());
        } catch (StatusRuntimeException e) {
            throw refused(e, "cannot set domid " + domid + " dynamic max memory to : " + mem);
        }
        return 0;
    }
}
