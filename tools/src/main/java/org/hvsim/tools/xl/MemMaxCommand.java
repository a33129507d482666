package org.hvsim.tools.xl;

import org.hvsim.proto.control.SetMemoryRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;

/**
 * {@code xl mem-max <Domain> <Mem>} (xl_mem.c): sets the domain's maximum reservation (XEN_DOMCTL_max_mem) and
 * its {@code ~/memory/static-max} in KiB.
 */
@Command(name = "mem-max", description = "Set the maximum amount reservation for a domain",
        customSynopsis = "xl [-vftT] mem-max <Domain> <Mem>")
final class MemMaxCommand extends MemoryCommand {
    MemMaxCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    void send(SetMemoryRequest request) throws HostNotRunningException {
        env.control().domains().setMemoryMax(request);
    }

    @Override
    String which() {
        return "static";
    }
}
