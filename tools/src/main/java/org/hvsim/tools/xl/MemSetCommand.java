package org.hvsim.tools.xl;

import org.hvsim.proto.control.SetMemoryRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;

/**
 * {@code xl mem-set <Domain> <Mem>} (xl_mem.c): sets the domain's memory target, which dom0 writes to its
 * {@code ~/memory/target} in KiB for the guest's balloon driver.
 */
@Command(name = "mem-set", description = "Set the current memory usage for a domain",
        customSynopsis = "xl [-vftT] mem-set <Domain> <Mem>")
final class MemSetCommand extends MemoryCommand {
    MemSetCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    void send(SetMemoryRequest request) throws HostNotRunningException {
        env.control().domains().setMemoryTarget(request);
    }

    @Override
    String which() {
        return "dynamic";
    }
}
