package org.hvsim.hv.sched.credit;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.hv.abi.Sysctl;
import org.hvsim.hv.sched.CreditParameters;
import org.hvsim.hv.sched.Decision;
import org.hvsim.hv.sched.SchedContext;
import org.hvsim.hv.sched.SchedTrace;
import org.hvsim.hv.sched.SchedUnit;
import org.hvsim.hv.sched.Scheduler;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.sched.WakeCause;

/**
 * Xen's credit scheduler ({@code xen/common/sched/credit.c}, "credit1") as an op table. Called only
 * under the {@link Scheduler}'s lock (or by the single-threaded simulator), so it is single-threaded
 * and, given the times it is passed, deterministic.
 *
 * <p>Run time is debited exactly: each {@link #doSchedule} debits the {@code ranNs} the unit just ran
 * (and accounting debits running units up to its time), so yielding just before a tick escapes
 * nothing. Accounting ({@code csched_acct}) runs lazily, once per missed tslice, from whichever call
 * first sees {@code now} past the next accounting time; Xen's 10 ms tick ({@code csched_tick}) is not
 * needed since nothing is sampled. As in Xen, priorities are recomputed from credit at accounting,
 * and BOOST ends once the unit has run.
 */
public final class CreditPolicy implements SchedulerPolicy, Scheduler.ContextAware, CreditParameters {
    /** After this many missed accounting periods in a row, the rest are skipped (nothing would change). */
    private static final int MAX_CATCHUP_PERIODS = 1000;

    private final boolean boost;
    private final Map<Integer, CreditDomain> domains = new HashMap<>();
    private final CreditAccounting accounting = new CreditAccounting();
    /** Parked units that became eligible: Xen keeps them paused; here they wait off the run queues. */
    private final List<CreditUnit> parkedWaiting = new ArrayList<>();
    private final CreditAccounting.Parking parking = new ParkingOps();
    private CreditParams params = CreditParams.DEFAULT;
    /** vcpu_migr_delay_us: kept and reported as Xen does; hvsim's stealing does not delay migrations. */
    private int vcpuMigrDelayUs;
    private SchedContext context;
    private CreditRunQueue[] runqs;
    private CreditUnit[] running;
    /** Idle pCPUs already tickled and not yet scheduled ({@code prv->idlers} cleared). */
    private final BitSet tickledIdle = new BitSet();
    private int nrParked;
    private long nextAccounting = -1;

    /** The credit scheduler as Xen has it. */
    public CreditPolicy() {
        this(true);
    }

    private CreditPolicy(boolean boost) {
        this.boost = boost;
    }

    /** The same policy without BOOST, to show what BOOST buys (not a Xen option). */
    public static CreditPolicy withoutBoost() {
        return new CreditPolicy(false);
    }

    @Override
    public void init(SchedContext context) {
        this.context = context;
        int n = context.nrPcpus();
        runqs = new CreditRunQueue[n];
        for (int i = 0; i < n; i++) {
            runqs[i] = new CreditRunQueue(i);
        }
        running = new CreditUnit[n];
    }

    @Override
    public String name() {
        return "credit";
    }

    @Override
    public int schedulerId() {
        return Sysctl.SCHEDULER_CREDIT;
    }

    // ------------------------------------------------------------------------------------------
    // Parameters (domctl / sysctl scheduler_op)
    // ------------------------------------------------------------------------------------------

    /** The domain's weight (default 256). */
    @Override
    public int weight(int domid) {
        return domain(domid).weight;
    }

    /** {@code csched_dom_cntl} putinfo, weight: 1..65535, nothing changed on error. */
    @Override
    public void setWeight(int domid, int weight) {
        if (weight < CreditDomain.WEIGHT_MIN || weight > CreditDomain.WEIGHT_MAX) {
            throw new IllegalArgumentException("Cpu weight out of range, valid values are within range from "
                    + CreditDomain.WEIGHT_MIN + " to " + CreditDomain.WEIGHT_MAX);
        }
        domain(domid).weight = weight;
    }

    /** The domain's cap in percent of one pCPU, 0 = none. */
    @Override
    public int cap(int domid) {
        return domain(domid).cap;
    }

    /** {@code csched_dom_cntl} putinfo, cap: 0..100 × pCPUs, nothing changed on error. */
    @Override
    public void setCap(int domid, int cap) {
        int max = 100 * requireContext().nrPcpus();
        if (cap < 0 || cap > max) {
            throw new IllegalArgumentException("Cpu cap out of range, valid range is from 0 to " + max);
        }
        domain(domid).cap = cap;
    }

    /** The pool-wide tslice and ratelimit. */
    public CreditParams params() {
        return params;
    }

    /** {@code csched_sys_cntl} putinfo: tslice 1..1000 ms, ratelimit 0 or 100..500000 µs and ≤ tslice. */
    public void setParams(int tsliceMs, int ratelimitUs) {
        params = new CreditParams(tsliceMs, ratelimitUs);
    }

    @Override
    public int tsliceMs() {
        return params.tsliceMs();
    }

    @Override
    public int ratelimitUs() {
        return params.ratelimitUs();
    }

    @Override
    public int vcpuMigrDelayUs() {
        return vcpuMigrDelayUs;
    }

    @Override
    public void setPool(int tsliceMs, int ratelimitUs, int migrDelayUs) {
        setParams(tsliceMs, ratelimitUs);
        this.vcpuMigrDelayUs = migrDelayUs;
    }

    /** A unit's credit (for inspection and tests). */
    public int credit(SchedUnit unit) {
        return cu(unit).credit;
    }

    /** A unit's priority (for inspection and tests). */
    public CreditPriority priority(SchedUnit unit) {
        return cu(unit).pri;
    }

    // ------------------------------------------------------------------------------------------
    // The op table
    // ------------------------------------------------------------------------------------------

    /** {@code csched_alloc_udata} + {@code csched_unit_insert}. */
    @Override
    public void insertUnit(SchedUnit unit) {
        requireContext();
        CreditDomain dom = domain(unit.domid());
        dom.nrUnits++;
        unit.policyData = new CreditUnit(unit, dom);
    }

    /** {@code csched_unit_remove}. */
    @Override
    public void removeUnit(SchedUnit unit) {
        CreditUnit u = cu(unit);
        dequeue(u);
        if (u.runningOn >= 0) {
            running[u.runningOn] = null;
            u.runningOn = -1;
        }
        if (u.parked) {
            u.parked = false;
            nrParked--;
        }
        accounting.stop(u);
        u.dom.nrUnits--;
        unit.policyData = null;
    }

    /** {@code csched_unit_wake}: BOOST if it woke from a block while UNDER, queue it, tickle. */
    @Override
    public int wake(SchedUnit unit, WakeCause cause, long now) {
        maybeAccount(now);
        CreditUnit u = cu(unit);
        if (u.parked) {
            u.waitingUnpark = true;
            parkedWaiting.add(u);
            return -1;
        }
        if (boost && cause == WakeCause.BLOCK_ENDED && u.pri == CreditPriority.UNDER) {
            u.pri = CreditPriority.BOOST;
            if (context != null) {
                context.trace().boost(now, unit);
            }
        }
        int cpu = pickCpu(u);
        runqs[cpu].insert(u);
        return tickle(u, cpu);
    }

    /** {@code csched_unit_sleep}: off the run queue. */
    @Override
    public void sleep(SchedUnit unit, long now) {
        maybeAccount(now);
        dequeue(cu(unit));
    }

    /** {@code csched_unit_yield}. */
    @Override
    public void yield(SchedUnit unit) {
        cu(unit).yielded = true;
    }

    /** Re-queues a queued unit on a pCPU its new hard affinity allows. */
    @Override
    public void affinityChanged(SchedUnit unit) {
        CreditUnit u = cu(unit);
        if (u.runqCpu >= 0 && !unit.allowedOn(u.runqCpu)) {
            runqs[u.runqCpu].remove(u);
            runqs[pickCpu(u)].insert(u);
        }
    }

    /**
     * {@code csched_schedule}: debit prev exactly, keep it if the ratelimit says so, re-queue it,
     * then run the head of this pCPU's queue unless another pCPU has better work
     * ({@code csched_load_balance}); idle when nothing may run here.
     */
    @Override
    public Decision doSchedule(int pcpu, SchedUnit prev, boolean prevEligible, long ranNs, long now) {
        maybeAccount(now);
        tickledIdle.clear(pcpu);
        CreditUnit p = prev == null ? null : cu(prev);
        if (p != null) {
            debitAfterRun(p, ranNs);
            running[pcpu] = null;
            p.runningOn = -1;
            if (prevEligible && !p.yielded && !p.parked && params.ratelimitUs() > 0 && prev.allowedOn(pcpu)) {
                long runtime = now - p.runStart;
                if (runtime < params.ratelimitNs()) {
                    dispatch(pcpu, p, now, false);
                    return new Decision(prev, params.ratelimitNs() - runtime);
                }
            }
            if (prevEligible) {
                if (p.parked) {
                    p.waitingUnpark = true;
                    parkedWaiting.add(p);
                } else {
                    runqs[prev.allowedOn(pcpu) ? pcpu : pickCpu(p)].insert(p);
                }
            }
            p.yielded = false;
        }
        CreditUnit next = runqs[pcpu].peek();
        if (next == null || next.pri != CreditPriority.BOOST && next.pri != CreditPriority.UNDER) {
            CreditUnit stolen = steal(pcpu, next == null ? null : next.pri);
            if (stolen != null) {
                next = stolen;
            }
        }
        if (next == null) {
            long wait = nrParked > 0 ? Math.max(1, nextAccounting - now) : Decision.IDLE_FOREVER;
            return new Decision(null, wait);
        }
        runqs[pcpu].remove(next);
        dispatch(pcpu, next, now, next != p);
        return new Decision(next.unit, params.tsliceNs());
    }

    // ------------------------------------------------------------------------------------------

    private void debitAfterRun(CreditUnit p, long ranNs) {
        p.burn(ranNs - p.burnedNs);
        p.burnedNs = 0;
        if (ranNs > 0) {
            accounting.start(p);   // Xen: found running at a tick
            if (p.pri == CreditPriority.BOOST) {
                p.pri = CreditPriority.UNDER;   // csched_unit_acct: boost ends once it has run
            }
        }
    }

    private void dispatch(int pcpu, CreditUnit u, long now, boolean newRun) {
        running[pcpu] = u;
        u.runningOn = pcpu;
        u.burnedNs = 0;
        u.lastBurn = now;
        if (newRun) {
            u.runStart = now;
        }
    }

    /** {@code csched_load_balance}: the first unit on another pCPU's queue better than {@code than}. */
    private CreditUnit steal(int pcpu, CreditPriority than) {
        int n = runqs.length;
        for (int i = 1; i < n; i++) {
            CreditUnit u = runqs[(pcpu + i) % n].steal(pcpu, than);
            if (u != null) {
                return u;
            }
        }
        return null;
    }

    /**
     * {@code csched_res_pick}: an idle pCPU it may run on (its last one first), else one running
     * something of lower priority, else its last pCPU, else the first it may run on.
     */
    private int pickCpu(CreditUnit u) {
        int n = runqs.length;
        int last = u.unit.lastPcpu();
        int preempt = -1;
        int allowed = -1;
        for (int i = 0; i < n; i++) {
            int cpu = (last + i) % n;
            if (!u.unit.allowedOn(cpu)) {
                continue;
            }
            if (allowed < 0) {
                allowed = cpu;
            }
            if (isIdle(cpu)) {
                return cpu;
            }
            CreditUnit cur = running[cpu];
            if (preempt < 0 && cur != null && u.pri.higherThan(cur.pri)) {
                preempt = cpu;
            }
        }
        if (preempt >= 0) {
            return preempt;
        }
        if (allowed < 0) {
            throw new IllegalStateException(u.unit + " may run on no pCPU");
        }
        return allowed;
    }

    /** {@code __runq_tickle}: the pCPU to kick for a unit just queued on {@code cpu}, or -1. */
    private int tickle(CreditUnit u, int cpu) {
        if (isIdle(cpu)) {
            tickledIdle.set(cpu);
            return cpu;
        }
        CreditUnit cur = running[cpu];
        if (cur != null && u.pri.higherThan(cur.pri)) {
            return cpu;
        }
        return -1;
    }

    private boolean isIdle(int cpu) {
        return running[cpu] == null && context.isIdle(cpu) && !tickledIdle.get(cpu);
    }

    private void dequeue(CreditUnit u) {
        if (u.runqCpu >= 0) {
            runqs[u.runqCpu].remove(u);
        }
        if (u.waitingUnpark) {
            u.waitingUnpark = false;
            parkedWaiting.remove(u);
        }
    }

    /** Runs every accounting period {@code now} has passed ({@code csched_acct}'s master timer). */
    private void maybeAccount(long now) {
        if (nextAccounting < 0) {
            nextAccounting = now + params.tsliceNs();
            return;
        }
        if (now < nextAccounting) {
            return;
        }
        burnRunning(now);
        int periods = 0;
        while (now >= nextAccounting) {
            accounting.account(params, runqs.length, parking);
            nextAccounting += params.tsliceNs();
            if (++periods == MAX_CATCHUP_PERIODS) {
                nextAccounting = now + params.tsliceNs();
            }
        }
        if (context != null && context.trace().enabled()) {
            SchedTrace trace = context.trace();
            accounting.forEachActive(u -> trace.account(now, u.unit, u.pri.xenValue(), u.credit));
        }
        for (CreditRunQueue q : runqs) {
            q.sort();
        }
    }

    /** Debits the running units up to {@code now} before accounting ({@code csched_tick}'s burn). */
    private void burnRunning(long now) {
        for (CreditUnit u : running) {
            if (u != null) {
                long delta = now - u.lastBurn;
                u.burn(delta);
                u.burnedNs += delta;
                u.lastBurn = now;
                accounting.start(u);
                if (u.pri == CreditPriority.BOOST && u.burnedNs > 0) {
                    u.pri = CreditPriority.UNDER;
                }
            }
        }
    }

    private final class ParkingOps implements CreditAccounting.Parking {
        /** Parks a unit of a domain over its cap: off the run queue until unparked. */
        @Override
        public void park(CreditUnit u) {
            u.parked = true;
            nrParked++;
            if (u.runqCpu >= 0) {
                runqs[u.runqCpu].remove(u);
                u.waitingUnpark = true;
                parkedWaiting.add(u);
            }
        }

        /** Back in credit: queued again if it is waiting (idle pCPUs wake at accounting to take it). */
        @Override
        public void unpark(CreditUnit u) {
            u.parked = false;
            nrParked--;
            if (u.waitingUnpark) {
                u.waitingUnpark = false;
                parkedWaiting.remove(u);
                runqs[pickCpu(u)].insert(u);
            }
        }
    }

    private CreditDomain domain(int domid) {
        return domains.computeIfAbsent(domid, CreditDomain::new);
    }

    private static CreditUnit cu(SchedUnit unit) {
        if (!(unit.policyData instanceof CreditUnit u)) {
            throw new IllegalStateException(unit + " is not a credit unit");
        }
        return u;
    }

    private SchedContext requireContext() {
        if (context == null) {
            throw new IllegalStateException("credit policy used before init(SchedContext)");
        }
        return context;
    }
}
