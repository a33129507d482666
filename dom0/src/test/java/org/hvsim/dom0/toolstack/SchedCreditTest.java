package org.hvsim.dom0.toolstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.dom0.xen.InProcessDom0;
import org.hvsim.hv.sched.credit.CreditPolicy;
import org.junit.jupiter.api.Test;

/**
 * libxl's credit calls over a host running the credit policy: values set and read back, libxl's range
 * checks and messages before any hypercall (nothing changes), and a host that does not run credit.
 */
class SchedCreditTest {
    private static void refused(String message, ConfigException.Kind kind, org.junit.jupiter.api.function.Executable call) {
        ConfigException e = assertThrows(ConfigException.class, call);
        assertEquals(kind, e.kind());
        assertEquals(message, e.getMessage());
    }

    @Test
    void weightCapAndPoolParametersWithLibxlsChecks() throws Exception {
        try (InProcessDom0 dom0 = InProcessDom0.start(2, 64, new CreditPolicy())) {
            SchedCredit credit = new SchedCredit(dom0.platform().xc());
            assertTrue(credit.inUse());
            assertEquals(List.of(new SchedCredit.DomainParams(0, 256, 0)), credit.domains(List.of(0, 77)),
                    "dom0 at the default weight; a domain that does not exist is left out");
            credit.setDomain(0, 512, null);
            credit.setDomain(0, null, 100);
            assertEquals(List.of(new SchedCredit.DomainParams(0, 512, 100)), credit.domains(List.of(0)));

            refused("Cpu weight out of range, valid values are within range from 1 to 65535",
                    ConfigException.Kind.INVALID, () -> credit.setDomain(0, 0, 50));
            refused("Cpu weight out of range, valid values are within range from 1 to 65535",
                    ConfigException.Kind.INVALID, () -> credit.setDomain(0, 65536, null));
            refused("Cpu cap out of range, valid range is from 0 to 100 for specified number of vcpus",
                    ConfigException.Kind.INVALID, () -> credit.setDomain(0, 300, 101));
            assertEquals(List.of(new SchedCredit.DomainParams(0, 512, 100)), credit.domains(List.of(0)), "nothing changed");

            assertEquals(new SchedCredit.PoolParams(30, 1000, 0), credit.pool());
            assertEquals(new SchedCredit.PoolParams(10, 500, 0), credit.setPool(10, 500, null));
            assertEquals(new SchedCredit.PoolParams(10, 0, 0), credit.setPool(null, 0, null), "0 turns the rate limit off");
            refused("Time slice out of range, valid range is from 1 to 1000", ConfigException.Kind.INVALID,
                    () -> credit.setPool(1001, null, null));
            refused("Ratelimit out of range, valid range is from 100 to 500000", ConfigException.Kind.INVALID,
                    () -> credit.setPool(null, 99, null));
            refused("Ratelimit cannot be greater than timeslice", ConfigException.Kind.INVALID,
                    () -> credit.setPool(1, 5000, null));
            refused("vcpu migration delay should be >= 0 and <= 100000us", ConfigException.Kind.INVALID,
                    () -> credit.setPool(null, null, 100_001));
            assertEquals(new SchedCredit.PoolParams(10, 0, 0), credit.pool(), "nothing changed");
        }
    }

    @Test
    void aHostWhoseSchedulerIsNotCredit() throws Exception {
        try (InProcessDom0 dom0 = InProcessDom0.start(1, 64)) {
            SchedCredit credit = new SchedCredit(dom0.platform().xc());
            assertFalse(credit.inUse());
            ConfigException e = assertThrows(ConfigException.class, () -> credit.setDomain(0, 512, null));
            assertEquals(ConfigException.Kind.FAILED_PRECONDITION, e.kind());
            assertThrows(ConfigException.class, credit::pool);
        }
    }
}
