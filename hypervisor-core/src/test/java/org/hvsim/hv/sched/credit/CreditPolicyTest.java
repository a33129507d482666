package org.hvsim.hv.sched.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hvsim.hv.abi.Sysctl;
import org.hvsim.hv.sched.Decision;
import org.hvsim.hv.sched.SchedUnit;
import org.hvsim.hv.sched.TestUnits;
import org.hvsim.hv.sched.WakeCause;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The credit policy's op table driven by hand with explicit times. */
class CreditPolicyTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    private final TestUnits.FakeContext ctx = new TestUnits.FakeContext(2);
    private final CreditPolicy policy = new CreditPolicy();

    @BeforeEach
    void init() {
        policy.init(ctx);
    }

    private SchedUnit unit(int domid, int pcpu) {
        SchedUnit u = TestUnits.unit(domid, 0, pcpu);
        policy.insertUnit(u);
        return u;
    }

    @Test
    void nameAndId() {
        assertEquals("credit", policy.name());
        assertEquals(Sysctl.SCHEDULER_CREDIT, policy.schedulerId());
    }

    @Test
    void weightOutOfRangeIsRefusedWithXensMessageAndChangesNothing() {
        policy.setWeight(1, 512);
        for (int bad : new int[] {0, -1, 65536}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy.setWeight(1, bad));
            assertEquals("Cpu weight out of range, valid values are within range from 1 to 65535", e.getMessage());
            assertEquals(512, policy.weight(1));
        }
        policy.setWeight(1, 1);
        policy.setWeight(2, 65535);
        assertEquals(1, policy.weight(1));
        assertEquals(65535, policy.weight(2));
        assertEquals(256, policy.weight(3));
    }

    @Test
    void capOutOfRangeIsRefusedAndChangesNothing() {
        policy.setCap(1, 50);
        for (int bad : new int[] {-1, 201}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy.setCap(1, bad));
            assertEquals("Cpu cap out of range, valid range is from 0 to 200", e.getMessage());
            assertEquals(50, policy.cap(1));
        }
        policy.setCap(1, 200);
        assertEquals(200, policy.cap(1));
        policy.setCap(1, 0);
        assertEquals(0, policy.cap(1));
    }

    @Test
    void poolParametersOutOfRangeAreRefusedAndChangeNothing() {
        policy.setParams(10, 500);
        assertThrowsMessage("Time slice out of range, valid range is from 1 to 1000", 0, 500);
        assertThrowsMessage("Time slice out of range, valid range is from 1 to 1000", 1001, 500);
        assertThrowsMessage("Ratelimit out of range, valid range is from 100 to 500000", 10, 99);
        assertThrowsMessage("Ratelimit out of range, valid range is from 100 to 500000", 1000, 500001);
        assertThrowsMessage("Ratelimit cannot be greater than timeslice", 1, 1001);
        assertEquals(new CreditParams(10, 500), policy.params());
        policy.setParams(1000, 0);
        assertEquals(new CreditParams(1000, 0), policy.params());
        assertEquals(new CreditParams(30, 1000), CreditParams.DEFAULT);
        assertEquals(300, CreditParams.DEFAULT.creditsPerTslice());
    }

    private void assertThrowsMessage(String message, int tsliceMs, int ratelimitUs) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> policy.setParams(tsliceMs, ratelimitUs));
        assertEquals(message, e.getMessage());
    }

    @Test
    void runTimeIsDebitedExactlyTenCreditsPerMillisecondWithTheRemainderCarried() {
        SchedUnit u = unit(1, 0);
        assertEquals(0, policy.wake(u, WakeCause.STARTED, 0));
        assertSame(u, policy.doSchedule(0, null, false, 0, 0).unit());
        ctx.busy(0, true);
        // 2.55 ms: 25 credits, 50 µs carried.
        assertSame(u, policy.doSchedule(0, u, true, 2_550 * US, 2_550 * US).unit());
        assertEquals(-25, policy.credit(u));
        // 50 µs more: the carried 50 µs make the 26th credit.
        assertSame(u, policy.doSchedule(0, u, true, 50 * US, 2_600 * US).unit());
        assertEquals(-26, policy.credit(u));
    }

    @Test
    void aVcpuWokenFromABlockWhileUnderIsBoostedUntilItHasRun() {
        SchedUnit a = unit(1, 0);
        SchedUnit b = unit(2, 0);
        policy.wake(a, WakeCause.STARTED, 0);
        assertEquals(CreditPriority.UNDER, policy.priority(a));
        assertSame(a, policy.doSchedule(0, null, false, 0, 0).unit());
        ctx.busy(0, true);
        // b wakes from a block: BOOST beats the running UNDER a, so pCPU 0 is tickled... but pCPU 1 is idle: it goes there.
        assertEquals(1, policy.wake(b, WakeCause.BLOCK_ENDED, MS));
        assertEquals(CreditPriority.BOOST, policy.priority(b));
        assertSame(b, policy.doSchedule(1, null, false, 0, MS).unit());
        ctx.busy(1, true);
        assertNull(policy.doSchedule(1, b, false, 100 * US, MS + 100 * US).unit());
        ctx.busy(1, false);
        assertEquals(CreditPriority.UNDER, policy.priority(b));
        // A wake that is not the end of a block does not boost.
        policy.wake(b, WakeCause.UNPAUSED, 2 * MS);
        assertEquals(CreditPriority.UNDER, policy.priority(b));
    }

    @Test
    void aBoostedWakePreemptsOnlyAfterTheRatelimit() {
        ctx.busy(1, true);   // pCPU 1 taken by something else: everything happens on pCPU 0
        SchedUnit a = unit(1, 0);
        SchedUnit b = TestUnits.pinned(2, 0, 0);
        policy.insertUnit(b);
        policy.wake(a, WakeCause.STARTED, 0);
        assertSame(a, policy.doSchedule(0, null, false, 0, 0).unit());
        ctx.busy(0, true);
        // 200 µs later b wakes BOOSTed: pCPU 0 is tickled, but a keeps it for the rest of 1 ms.
        assertEquals(0, policy.wake(b, WakeCause.BLOCK_ENDED, 200 * US));
        Decision keep = policy.doSchedule(0, a, true, 200 * US, 200 * US);
        assertSame(a, keep.unit());
        assertEquals(800 * US, keep.sliceNs());
        Decision next = policy.doSchedule(0, a, true, 800 * US, MS);
        assertSame(b, next.unit());
        assertEquals(30 * MS, next.sliceNs());
    }

    @Test
    void withoutRatelimitABoostedWakePreemptsAtOnce() {
        policy.setParams(30, 0);
        ctx.busy(1, true);
        SchedUnit a = unit(1, 0);
        SchedUnit b = TestUnits.pinned(2, 0, 0);
        policy.insertUnit(b);
        policy.wake(a, WakeCause.STARTED, 0);
        policy.doSchedule(0, null, false, 0, 0);
        ctx.busy(0, true);
        assertEquals(0, policy.wake(b, WakeCause.BLOCK_ENDED, 200 * US));
        assertSame(b, policy.doSchedule(0, a, true, 200 * US, 200 * US).unit());
    }

    @Test
    void aCappedVcpuIsParkedAndAnIdlePcpuAsksAgainAtTheNextAccounting() {
        ctx.busy(1, true);
        SchedUnit u = unit(1, 0);
        policy.setCap(1, 25);
        policy.wake(u, WakeCause.STARTED, 0);
        assertSame(u, policy.doSchedule(0, null, false, 0, 0).unit());
        ctx.busy(0, true);
        // It ran the whole first tslice: -300 + the capped 75 = -225 < -75: parked.
        Decision idle = policy.doSchedule(0, u, true, 30 * MS, 30 * MS);
        assertNull(idle.unit());
        assertEquals(30 * MS, idle.sliceNs());
        ctx.busy(0, false);
        // Three periods later (missed ones included) its credit is back to 0: unparked and run.
        assertNull(policy.doSchedule(0, null, false, 0, 90 * MS).unit());
        assertSame(u, policy.doSchedule(0, null, false, 0, 120 * MS).unit());
        assertEquals(0, policy.credit(u));
    }

    @Test
    void missedAccountingPeriodsAreAllRunAndCreditStopsGrowingAtTheUpperBound() {
        ctx.busy(1, true);
        SchedUnit u = unit(1, 0);
        policy.wake(u, WakeCause.STARTED, 0);
        policy.doSchedule(0, null, false, 0, 0);
        ctx.busy(0, true);
        assertNull(policy.doSchedule(0, u, false, 3 * MS, 3 * MS).unit());   // blocks after 3 ms: -30
        ctx.busy(0, false);
        // Ten periods pass with nobody calling: at the next call each is accounted in turn:
        // -30 +300 = 270, +300 = 570 > 300: it leaves the active list with 285, then earns nothing.
        policy.wake(u, WakeCause.BLOCK_ENDED, 301 * MS);
        assertEquals(285, policy.credit(u));
        assertEquals(CreditPriority.BOOST, policy.priority(u));
    }
}
