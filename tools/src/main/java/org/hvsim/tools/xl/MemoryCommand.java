package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.SetMemoryRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Parameters;

/**
 * What {@code xl mem-set} and {@code xl mem-max} share (xl_mem.c): {@code <Domain> <Mem>} with xl's size
 * syntax, the domain looked up first, one control-plane call, and xl's message when dom0 refuses.
 */
abstract class MemoryCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    @Parameters(index = "1", paramLabel = "Mem")
    String mem;

    MemoryCommand(XlEnvironment env) {
        super(env);
    }

    /** Sends {@code request} to dom0. */
    abstract void send(SetMemoryRequest request) throws HostNotRunningException;

    /** Which maximum xl names when dom0 refuses: "dynamic" (the target) or "static". */
    abstract String which();

    @Override
    protected final int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        long kb = MemSize.parseKb(mem);
        if (kb == -1) {
            throw XlFailure.line("invalid memory size: " + mem);
        }
        try {
            send(SetMemoryRequest.newBuilder().setDomain(Long.toString(domid)).setMemkb(kb).build());
        } catch (StatusRuntimeException e) {
            throw refused(e, "cannot set domid " + domid + " " + which() + " max memory to : " + mem);
        }
        return 0;
    }
}
