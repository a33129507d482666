package org.hvsim.dom0.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.Errno;
import org.junit.jupiter.api.Test;

/**
 * libxc's xc_sched_credit_* against a host whose scheduler is not credit: Xen's -EINVAL (the op names a
 * scheduler the domain does not use), for the domain and for the pool alike.
 */
class XcSchedulerOpTest {
    @Test
    void creditOpsOnAHostThatDoesNotRunCreditAreEinval() throws Exception {
        try (InProcessDom0 dom0 = InProcessDom0.start(1, 64)) {
            Xc xc = dom0.platform().xc();
            assertEquals(Errno.EINVAL, assertThrows(XenError.class, () -> xc.schedCreditDomainGet(0)).errno());
            assertEquals(Errno.EINVAL, assertThrows(XenError.class,
                    () -> xc.schedCreditDomainSet(0, 512, Domctl.SCHED_CREDIT_CAP_UNCHANGED)).errno());
            assertEquals(Errno.EINVAL, assertThrows(XenError.class, xc::schedCreditParamsGet).errno());
            assertEquals(Errno.EINVAL, assertThrows(XenError.class, () -> xc.schedCreditParamsSet(30, 1000, 0)).errno());
            assertEquals(Errno.ESRCH, assertThrows(XenError.class, () -> xc.schedCreditDomainGet(99)).errno());
        }
    }
}
