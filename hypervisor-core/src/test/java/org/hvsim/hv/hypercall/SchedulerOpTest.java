package org.hvsim.hv.hypercall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.Sysctl;
import org.hvsim.hv.abi.domctl.DomctlHeader;
import org.hvsim.hv.abi.domctl.DomctlSchedulerOp;
import org.hvsim.hv.abi.sysctl.SysctlHeader;
import org.hvsim.hv.abi.sysctl.SysctlSchedulerOp;
import org.hvsim.hv.sched.CreditParameters;
import org.hvsim.hv.sched.Decision;
import org.hvsim.hv.sched.RoundRobinPolicy;
import org.hvsim.hv.sched.SchedContext;
import org.hvsim.hv.sched.SchedUnit;
import org.hvsim.hv.sched.Scheduler;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.sched.WakeCause;
import org.hvsim.hv.sched.credit.CreditPolicy;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.Test;

/**
 * XEN_DOMCTL_scheduler_op and XEN_SYSCTL_scheduler_op as dom0 makes them: Xen's checks and their order,
 * a policy without parameters doing nothing, and credit's get/put semantics (weight 0 and cap 0xffff
 * leave a value alone; out-of-range pool values change nothing).
 */
class SchedulerOpTest {
    private static final long ARG = Page.addressOf(16);

    /** Round robin that keeps credit-style parameters, so the hypercalls' plumbing can be seen. */
    private static final class ParameterisedPolicy extends RoundRobinPolicyAdapter implements CreditParameters {
        final Map<Integer, Integer> weights = new HashMap<>();
        final Map<Integer, Integer> caps = new HashMap<>();
        int tslice = 30;
        int ratelimit = 1000;
        int delay;

        @Override
        public int schedulerId() {
            return Sysctl.SCHEDULER_CREDIT;
        }

        @Override
        public int weight(int domid) {
            return weights.getOrDefault(domid, DEFAULT_WEIGHT);
        }

        @Override
        public int cap(int domid) {
            return caps.getOrDefault(domid, 0);
        }

        @Override
        public void setWeight(int domid, int weight) {
            weights.put(domid, weight);
        }

        @Override
        public void setCap(int domid, int cap) {
            caps.put(domid, cap);
        }

        @Override
        public int tsliceMs() {
            return tslice;
        }

        @Override
        public int ratelimitUs() {
            return ratelimit;
        }

        @Override
        public int vcpuMigrDelayUs() {
            return delay;
        }

        @Override
        public void setPool(int tsliceMs, int ratelimitUs, int vcpuMigrDelayUs) {
            tslice = tsliceMs;
            ratelimit = ratelimitUs;
            delay = vcpuMigrDelayUs;
        }
    }

    private static long domctl(TestHost host, DomctlSchedulerOp op) {
        GuestMemory m = host.dom0Memory();
        new DomctlHeader(Domctl.SCHEDULER_OP, Domctl.INTERFACE_VERSION, 0).write(m, ARG);
        op.write(m, ARG + DomctlHeader.U);
        return host.dom0Hypercall(0, HypercallNr.DOMCTL, ARG, 0, 0, 0, 0);
    }

    private static DomctlSchedulerOp domctlResult(TestHost host) {
        return DomctlSchedulerOp.read(host.dom0Memory(), ARG + DomctlHeader.U);
    }

    private static long sysctl(TestHost host, SysctlSchedulerOp op) {
        GuestMemory m = host.dom0Memory();
        new SysctlHeader(Sysctl.SCHEDULER_OP, Sysctl.INTERFACE_VERSION).write(m, ARG);
        op.write(m, ARG + SysctlHeader.U);
        return host.dom0Hypercall(0, HypercallNr.SYSCTL, ARG, 0, 0, 0, 0);
    }

    @Test
    void theOpMustNameTheDomainsSchedulerAndAKnownCmdAndAPolicyWithoutParametersDoesNothing() throws Exception {
        try (TestHost host = TestHost.start(2, 64)) {
            int rr = host.hv().scheduler().policy().schedulerId();
            assertEquals(-Errno.EINVAL, domctl(host, new DomctlSchedulerOp(Sysctl.SCHEDULER_CREDIT, Domctl.SCHEDOP_GETINFO, 0, 0)));
            assertEquals(-Errno.EINVAL, domctl(host, new DomctlSchedulerOp(rr, 4, 0, 0)));
            assertEquals(0, domctl(host, new DomctlSchedulerOp(rr, Domctl.SCHEDOP_GETINFO, 7, 9)));
            assertEquals(new DomctlSchedulerOp(rr, Domctl.SCHEDOP_GETINFO, 7, 9), domctlResult(host), "nothing written");
            assertEquals(-Errno.EINVAL, sysctl(host, new SysctlSchedulerOp(0, rr, 2, 30, 1000, 0)));
            assertEquals(-Errno.ESRCH, sysctl(host, new SysctlSchedulerOp(1, rr, Sysctl.SCHEDOP_GETINFO, 0, 0, 0)));
            assertEquals(-Errno.EINVAL, sysctl(host, new SysctlSchedulerOp(0, Sysctl.SCHEDULER_CREDIT, Sysctl.SCHEDOP_GETINFO, 0, 0, 0)));
            assertEquals(0, sysctl(host, new SysctlSchedulerOp(0, rr, Sysctl.SCHEDOP_PUTINFO, 0, 0, 0)));
        }
    }

    @Test
    void creditGetAndPutInfo() throws Exception {
        ParameterisedPolicy policy = new ParameterisedPolicy();
        try (TestHost host = TestHost.start(2, 64, policy)) {
            int credit = Sysctl.SCHEDULER_CREDIT;
            assertEquals(0, domctl(host, new DomctlSchedulerOp(credit, Domctl.SCHEDOP_GETINFO, 0, 0)));
            assertEquals(new DomctlSchedulerOp(credit, Domctl.SCHEDOP_GETINFO, 256, 0), domctlResult(host));

            assertEquals(0, domctl(host, new DomctlSchedulerOp(credit, Domctl.SCHEDOP_PUTINFO, 512, Domctl.SCHED_CREDIT_CAP_UNCHANGED)));
            assertEquals(512, policy.weight(0));
            assertEquals(0, policy.cap(0), "cap 0xffff leaves the cap alone");
            assertEquals(0, domctl(host, new DomctlSchedulerOp(credit, Domctl.SCHEDOP_PUTINFO, 0, 50)));
            assertEquals(512, policy.weight(0), "weight 0 leaves the weight alone");
            assertEquals(50, policy.cap(0));
            assertEquals(0, domctl(host, new DomctlSchedulerOp(credit, Domctl.SCHEDOP_PUTINFO, 100, 400)),
                    "the hypervisor takes any cap, as Xen's does (libxl checks it against the vCPUs)");
            assertEquals(100, policy.weight(0));
            assertEquals(400, policy.cap(0));
            assertEquals(-Errno.EINVAL, domctl(host, new DomctlSchedulerOp(credit, Domctl.SCHEDOP_GETVCPUINFO, 0, 0)));
            assertEquals(-Errno.ESRCH, domctlOn(host, 77, new DomctlSchedulerOp(credit, Domctl.SCHEDOP_GETINFO, 0, 0)));
        }
    }

    @Test
    void theCreditPolicyItselfThroughTheHypercalls() throws Exception {
        CreditPolicy policy = new CreditPolicy();
        try (TestHost host = TestHost.start(2, 64, policy)) {
            int credit = Sysctl.SCHEDULER_CREDIT;
            assertEquals(0, domctl(host, new DomctlSchedulerOp(credit, Domctl.SCHEDOP_PUTINFO, 1024, 150)));
            assertEquals(0, domctl(host, new DomctlSchedulerOp(credit, Domctl.SCHEDOP_GETINFO, 0, 0)));
            assertEquals(new DomctlSchedulerOp(credit, Domctl.SCHEDOP_GETINFO, 1024, 150), domctlResult(host));
            assertEquals(-Errno.EINVAL, domctl(host, new DomctlSchedulerOp(credit, Domctl.SCHEDOP_PUTINFO, 64, 201)),
                    "hvsim's credit takes caps up to 100 x its 2 pCPUs");
            assertEquals(1024, policy.weight(0), "nothing changed");
            assertEquals(150, policy.cap(0), "nothing changed");
            assertEquals(0, sysctl(host, new SysctlSchedulerOp(0, credit, Sysctl.SCHEDOP_PUTINFO, 10, 500, 0)));
            assertEquals(0, sysctl(host, new SysctlSchedulerOp(0, credit, Sysctl.SCHEDOP_GETINFO, 0, 0, 0)));
            assertEquals(new SysctlSchedulerOp(0, credit, Sysctl.SCHEDOP_GETINFO, 10, 500, 0),
                    SysctlSchedulerOp.read(host.dom0Memory(), ARG + SysctlHeader.U));
        }
    }

    @Test
    void creditPoolParametersWithXensRanges() throws Exception {
        ParameterisedPolicy policy = new ParameterisedPolicy();
        try (TestHost host = TestHost.start(1, 64, policy)) {
            int credit = Sysctl.SCHEDULER_CREDIT;
            assertEquals(0, sysctl(host, new SysctlSchedulerOp(0, credit, Sysctl.SCHEDOP_GETINFO, 0, 0, 0)));
            assertEquals(new SysctlSchedulerOp(0, credit, Sysctl.SCHEDOP_GETINFO, 30, 1000, 0),
                    SysctlSchedulerOp.read(host.dom0Memory(), ARG + SysctlHeader.U));
            assertEquals(0, sysctl(host, new SysctlSchedulerOp(0, credit, Sysctl.SCHEDOP_PUTINFO, 10, 0, 500)));
            assertEquals(10, policy.tslice);
            assertEquals(0, policy.ratelimit, "0 turns the rate limit off");
            assertEquals(500, policy.delay);
            for (int[] bad : new int[][] {{0, 1000, 0}, {1001, 1000, 0}, {30, 99, 0}, {30, 500_001, 0},
                    {1, 1001, 0}, {30, 1000, 100_001}, {-1, 1000, 0}}) {
                assertEquals(-Errno.EINVAL, sysctl(host, new SysctlSchedulerOp(0, credit, Sysctl.SCHEDOP_PUTINFO,
                        bad[0], bad[1], bad[2])), Arrays.toString(bad));
                assertEquals(10, policy.tslice, "nothing changed");
                assertEquals(0, policy.ratelimit, "nothing changed");
            }
        }
    }

    private static long domctlOn(TestHost host, int domid, DomctlSchedulerOp op) {
        GuestMemory m = host.dom0Memory();
        new DomctlHeader(Domctl.SCHEDULER_OP, Domctl.INTERFACE_VERSION, domid).write(m, ARG);
        op.write(m, ARG + DomctlHeader.U);
        return host.dom0Hypercall(0, HypercallNr.DOMCTL, ARG, 0, 0, 0, 0);
    }

    /** RoundRobinPolicy is final: delegate to one. */
    private abstract static class RoundRobinPolicyAdapter implements SchedulerPolicy,
            Scheduler.ContextAware {
        private final RoundRobinPolicy rr = new RoundRobinPolicy();

        @Override
        public void init(SchedContext context) {
            rr.init(context);
        }

        @Override
        public String name() {
            return "credit";
        }

        @Override
        public void insertUnit(SchedUnit unit) {
            rr.insertUnit(unit);
        }

        @Override
        public void removeUnit(SchedUnit unit) {
            rr.removeUnit(unit);
        }

        @Override
        public int wake(SchedUnit unit, WakeCause cause, long now) {
            return rr.wake(unit, cause, now);
        }

        @Override
        public void sleep(SchedUnit unit, long now) {
            rr.sleep(unit, now);
        }

        @Override
        public void yield(SchedUnit unit) {
            rr.yield(unit);
        }

        @Override
        public Decision doSchedule(int pcpu, SchedUnit prev, boolean prevEligible,
                long ranNs, long now) {
            return rr.doSchedule(pcpu, prev, prevEligible, ranNs, now);
        }
    }
}
