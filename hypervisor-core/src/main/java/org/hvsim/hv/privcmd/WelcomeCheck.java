package org.hvsim.hv.privcmd;

import java.nio.charset.StandardCharsets;
import org.hvsim.proto.privcmd.Welcome;

/** Checks the Welcome the hypervisor supplies before it is sent; a bad one is a hypervisor bug. */
final class WelcomeCheck {
    private WelcomeCheck() {}

    static Welcome check(Welcome welcome) {
        if (welcome == null) {
            throw new IllegalStateException("the Welcome supplier returned null");
        }
        int nrVcpus = welcome.getNrVcpus();
        if (nrVcpus < 1 || nrVcpus > PrivcmdLimits.MAX_DOM0_VCPUS) {
            throw new IllegalStateException("the Welcome gives dom0 " + Integer.toUnsignedString(nrVcpus)
                    + " vCPUs; it must have 1 to " + PrivcmdLimits.MAX_DOM0_VCPUS);
        }
        int pathBytes = welcome.getMachineMemoryPath().getBytes(StandardCharsets.UTF_8).length;
        if (pathBytes > PrivcmdLimits.MAX_PATH_BYTES) {
            throw new IllegalStateException("the Welcome's machine memory path has " + pathBytes
                    + " bytes, more than " + PrivcmdLimits.MAX_PATH_BYTES);
        }
        if (welcome.getP2MFramesCount() > PrivcmdLimits.MAX_P2M_FRAMES) {
            throw new IllegalStateException("the Welcome lists " + welcome.getP2MFramesCount()
                    + " P2M frames, more than " + PrivcmdLimits.MAX_P2M_FRAMES + " (dom0 memory too large)");
        }
        return welcome;
    }
}
