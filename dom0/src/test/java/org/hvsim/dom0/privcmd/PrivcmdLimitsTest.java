package org.hvsim.dom0.privcmd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Both ends of the channel must frame and bound messages alike. */
class PrivcmdLimitsTest {
    @Test
    void dom0AndTheHypervisorAgreeOnTheWireLimits() {
        assertEquals(org.hvsim.hv.privcmd.PrivcmdLimits.LENGTH_FIELD_BYTES, PrivcmdLimits.LENGTH_FIELD_BYTES);
        assertEquals(org.hvsim.hv.privcmd.PrivcmdLimits.MAX_FRAME_BYTES, PrivcmdLimits.MAX_FRAME_BYTES);
        assertEquals(org.hvsim.hv.privcmd.PrivcmdLimits.MAX_HYPERCALL_ARGS, PrivcmdLimits.MAX_HYPERCALL_ARGS);
        assertEquals(org.hvsim.hv.privcmd.PrivcmdLimits.MAX_TOKEN_BYTES, PrivcmdLimits.MAX_TOKEN_BYTES);
        assertEquals(org.hvsim.hv.privcmd.PrivcmdLimits.MAX_DOM0_VCPUS, PrivcmdLimits.MAX_DOM0_VCPUS);
    }

    @Test
    void bothEndsUseTheSameEnvironmentVariables() {
        assertEquals(org.hvsim.hv.privcmd.PrivcmdServer.ENV_SOCKET, PrivcmdClient.ENV_SOCKET);
        assertEquals(org.hvsim.hv.privcmd.PrivcmdServer.ENV_TOKEN, PrivcmdClient.ENV_TOKEN);
    }
}
