package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.DetachBlockDeviceRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl block-detach [-f] <Domain> <DevId>} (xl_block.c main_blockdetach): the device by number or vdev;
 * its backend is asked to close and the disk removed once it has (or after libxl's 10 s); {@code -f} removes
 * it at once (libxl_device_disk_destroy), which may cause I/O errors in the guest. A device the domain does
 * not have: "Error: Device X not connected.", exit 1.
 */
@Command(name = "block-detach", description = "Destroy a domain's virtual block device",
        customSynopsis = "xl [-vtT] block-detach [-f] <Domain> <DevId>")
final class BlockDetachCommand extends XlSubcommand {
    @Option(names = {"-f", "--force"}, description = "Remove the device at once, without waiting for its backend")
    boolean force;

    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    @Parameters(index = "1", paramLabel = "DevId")
    String device;

    BlockDetachCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        try {
            env.control().domains().detachBlockDevice(DetachBlockDeviceRequest.newBuilder()
                    .setDomain(Long.toString(domid)).setDevice(device).setForce(force).build());
        } catch (StatusRuntimeException e) {
            if (DomainQualifier.isNotFound(e)) {
                throw XlFailure.line("Error: Device " + device + " not connected.");
            }
            throw refused(e, force ? "libxl_device_disk_destroy failed." : "libxl_device_disk_remove failed.");
        }
        return 0;
    }
}
