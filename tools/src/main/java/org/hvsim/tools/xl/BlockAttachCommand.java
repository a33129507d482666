package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import java.util.List;
import org.hvsim.proto.control.AttachBlockDeviceRequest;
import org.hvsim.proto.control.DiskSpec;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xlcfg.DiskSpecParser;
import org.hvsim.tools.xlcfg.XlSpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xl block-attach <Domain> <disk-spec-component(s)>...} (xl_block.c main_blockattach): the components
 * are one disk spec, as in xl.cfg's {@code disk=} (joined with commas, as xlu_disk_parse takes them); a spec
 * that does not parse is the parser's message; a disk dom0 cannot add is dom0's reason, then
 * "libxl_device_disk_add failed.", exit 1.
 */
@Command(name = "block-attach", description = "Create a new virtual block device",
        customSynopsis = "xl [-vtT] block-attach <Domain> <disk-spec-component(s)>...")
final class BlockAttachCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "disk-spec-component")
    List<String> spec;

    BlockAttachCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid;
        try {
            domid = DomainQualifier.find(env, domain);
        } catch (XlFailure f) {
            throw XlFailure.line(domain + " is an invalid domain identifier");
        }
        DiskSpec disk;
        try {
            disk = DiskSpecParser.parse(String.join(",", spec), w -> env.err().print(w + "\n"));
        } catch (XlSpecException e) {
            throw XlFailure.line(e.getMessage());
        }
        try {
            env.control().domains().attachBlockDevice(AttachBlockDeviceRequest.newBuilder()
                    .setDomain(Long.toString(domid)).setDisk(disk).build());
        } catch (StatusRuntimeException e) {
            throw refused(e, "libxl_device_disk_add failed.");
        }
        return 0;
    }
}
