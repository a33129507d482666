package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import java.util.Locale;
import org.hvsim.proto.control.BlockDevice;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.proto.control.ListBlockDevicesResponse;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xl block-list <Domain(s)>} (xl_block.c main_blocklist): a header, then per disk its device number,
 * backend domain, frontend domain ("handle"), frontend state, event channel and ring-ref (-1 while not
 * written) and backend path, in libxl's {@code %-5d %-3d %-6d %-5d %-6d %-8d %-30s}. As xl: a name that names
 * no domain is "&lt;name&gt; is an invalid domain identifier" and xl goes on to the next; a domain id is taken as
 * it is (one that does not exist has no disks); the exit code is 0.
 */
@Command(name = "block-list", description = "List virtual block devices for a domain",
        customSynopsis = "xl [-vtT] block-list <Domain(s)>")
final class BlockListCommand extends XlSubcommand {
    static final String HEADER = String.format(Locale.ROOT, "%-5s %-3s %-6s %-5s %-6s %-8s %-30s%n", "Vdev", "BE",
            "handle", "state", "evt-ch", "ring-ref", "BE-path");

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "Domain")
    java.util.List<String> domains;

    BlockListCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        env.out().print(HEADER);
        for (String d : domains) {
            long domid;
            try {
                domid = DomainQualifier.find(env, d);
            } catch (XlFailure f) {
                env.out().flush();
                env.err().print(d + " is an invalid domain identifier\n");
                continue;
            }
            ListBlockDevicesResponse r;
            try {
                r = env.control().domains().listBlockDevices(DomainRef.newBuilder().setDomain(Long.toString(domid))
                        .build());
            } catch (StatusRuntimeException e) {
                if (DomainQualifier.isNotFound(e)) {
                    continue;   // libxl_device_disk_list of a domain that is not there: no disks
                }
                throw e;
            }
            for (BlockDevice b : r.getDevicesList()) {
                env.out().print(String.format(Locale.ROOT, "%-5d %-3d %-6d %-5d %-6d %-8d %-30s%n", b.getDevid(),
                        b.getBackendId(), b.getFrontendId(), b.getState(), b.getEvtchn(), b.getRingRef(),
                        b.getBackendPath()));
            }
        }
        return 0;
    }
}
