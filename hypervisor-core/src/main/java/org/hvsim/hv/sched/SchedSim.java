package org.hvsim.hv.sched;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.hv.time.ManualClock;

/**
 * A pure discrete-event simulation of the generic scheduler: drives a {@link SchedulerPolicy} the way
 * {@link Scheduler} does (wake, doSchedule at slice ends, blocks and yields, a tickle preempting the
 * running unit at once, subject to what doSchedule then decides) over a {@link SimWorkload}, on a
 * {@link ManualClock}, with no threads. Times are integer nanoseconds. Like Scheduler it refuses a
 * policy's pick that cannot run (blocked, running elsewhere, outside its hard affinity).
 *
 * <p>Single-threaded: one instance per run, used by one thread.
 */
public final class SchedSim implements SchedContext {

    /** Sets a domain's weight and cap on the policy (for policies that have them). */
    @FunctionalInterface
    public interface DomainParams {
        DomainParams NONE = (domid, weight, cap) -> {};

        void apply(int domid, int weight, int cap);
    }

    private final SchedulerPolicy policy;
    private final ManualClock clock = new ManualClock(0);
    private final SimPcpu[] pcpus;
    private final List<SimVcpu> vcpus = new ArrayList<>();
    private final Map<SchedUnit, SimVcpu> byUnit = new IdentityHashMap<>();
    private final Map<Integer, Long> cpuNs = new LinkedHashMap<>();
    private final Map<Integer, List<Long>> latencies = new LinkedHashMap<>();
    private final List<SimReport.Segment> segments;
    private long idleNs;
    private long contextSwitches;

    private static final class SimPcpu {
        final int id;
        SimVcpu current;
        long dispatchAt;
        long sliceEnd;
        long idleSince;
        long idleUntil = Long.MAX_VALUE;
        boolean needResched;
        boolean scheduling;

        SimPcpu(int id) {
            this.id = id;
        }
    }

    private static final class SimVcpu {
        final SchedUnit unit;
        final SimBehaviour behaviour;
        long burstLeft;
        long wakeAt = Long.MAX_VALUE;   // blocked until then
        long wokeAt = -1;               // when its block ended, until it runs

        SimVcpu(SchedUnit unit, SimBehaviour behaviour) {
            this.unit = unit;
            this.behaviour = behaviour;
            if (behaviour instanceof SimBehaviour.BurstBlock b) {
                burstLeft = b.burstNs();
            }
        }

        boolean blocked() {
            return wakeAt != Long.MAX_VALUE;
        }

        /** When, running since {@code since}, it blocks or yields by itself; MAX_VALUE for never. */
        long actionAt(long since) {
            return switch (behaviour) {
                case SimBehaviour.CpuBound c -> Long.MAX_VALUE;
                case SimBehaviour.BurstBlock b -> since + burstLeft;
                case SimBehaviour.YieldBeforeTick y -> y.nextYieldAfter(since);
            };
        }
    }

    private SchedSim(SchedulerPolicy policy, SimWorkload workload, boolean recordSegments) {
        this.policy = policy;
        this.pcpus = new SimPcpu[workload.nrPcpus()];
        for (int i = 0; i < pcpus.length; i++) {
            pcpus[i] = new SimPcpu(i);
        }
        this.segments = recordSegments ? new ArrayList<>() : null;
        if (policy instanceof Scheduler.ContextAware aware) {
            aware.init(this);
        }
    }

    /** Runs {@code workload} under {@code policy} for {@code durationNs} of simulated time. */
    public static SimReport run(SchedulerPolicy policy, SimWorkload workload, long durationNs) {
        return run(policy, workload, durationNs, DomainParams.NONE, false);
    }

    /**
     * Runs {@code workload} under {@code policy} for {@code durationNs}; {@code params} gives the
     * policy each domain's weight and cap; with {@code recordSegments} the report lists every run.
     */
    public static SimReport run(SchedulerPolicy policy, SimWorkload workload, long durationNs,
                                DomainParams params, boolean recordSegments) {
        if (durationNs <= 0) {
            throw new IllegalArgumentException("duration must be positive: " + durationNs);
        }
        SchedSim sim = new SchedSim(policy, workload, recordSegments);
        sim.start(workload, params);
        sim.loop(durationNs);
        return sim.report(durationNs);
    }

    @Override
    public int nrPcpus() {
        return pcpus.length;
    }

    @Override
    public boolean isIdle(int pcpu) {
        SimPcpu p = pcpus[pcpu];
        return p.current == null && !p.scheduling;
    }

    @Override
    public SchedUnit current(int pcpu) {
        SimVcpu v = pcpus[pcpu].current;
        return v == null ? null : v.unit;
    }

    // ------------------------------------------------------------------------------------------

    private void start(SimWorkload workload, DomainParams params) {
        int placement = 0;
        for (SimWorkload.Domain d : workload.domains()) {
            params.apply(d.domid(), d.weight(), d.cap());
            cpuNs.putIfAbsent(d.domid(), 0L);
            latencies.putIfAbsent(d.domid(), new ArrayList<>());
            int vcpuId = 0;
            for (SimWorkload.Vcpu spec : d.vcpus()) {
                SchedUnit u = new SchedUnit(d.domid(), vcpuId++, placement++ % pcpus.length, 0);
                u.hardAffinity = spec.hardAffinity();
                if (u.hardAffinity != null && (u.hardAffinity.isEmpty() || u.hardAffinity.length() > pcpus.length)) {
                    throw new IllegalArgumentException(u + ": affinity " + u.hardAffinity + " outside the "
                            + pcpus.length + " pCPUs");
                }
                u.pauseFlags = 0;
                policy.insertUnit(u);
                SimVcpu v = new SimVcpu(u, spec.behaviour());
                vcpus.add(v);
                byUnit.put(u, v);
            }
        }
        for (SimVcpu v : vcpus) {
            tickle(policy.wake(v.unit, WakeCause.STARTED, 0));
        }
        reschedulePending(0);
    }

    private void loop(long end) {
        while (true) {
            long t = nextEventTime();
            if (t >= end) {
                break;
            }
            clock.set(t);
            for (SimVcpu v : vcpus) {
                if (v.wakeAt <= t) {
                    v.wakeAt = Long.MAX_VALUE;
                    v.wokeAt = t;
                    tickle(policy.wake(v.unit, WakeCause.BLOCK_ENDED, t));
                }
            }
            for (SimPcpu p : pcpus) {
                if (p.current != null ? Math.min(p.sliceEnd, p.current.actionAt(p.dispatchAt)) <= t : p.idleUntil <= t) {
                    p.needResched = true;
                }
            }
            reschedulePending(t);
        }
        clock.set(end);
        for (SimPcpu p : pcpus) {
            if (p.current != null) {
                ran(p, p.current, end);
            } else {
                idleNs += end - p.idleSince;
            }
        }
    }

    private long nextEventTime() {
        long t = Long.MAX_VALUE;
        for (SimVcpu v : vcpus) {
            t = Math.min(t, v.wakeAt);
        }
        for (SimPcpu p : pcpus) {
            t = Math.min(t, p.current != null ? Math.min(p.sliceEnd, p.current.actionAt(p.dispatchAt)) : p.idleUntil);
        }
        return t;
    }

    /** Scheduler.tickle: an idle pCPU wakes, a busy one's unit is preempted at once. */
    private void tickle(int cpu) {
        if (cpu >= 0) {
            pcpus[cpu].needResched = true;
        }
    }

    private void reschedulePending(long t) {
        for (SimPcpu p : pcpus) {
            if (p.needResched) {
                p.needResched = false;
                reschedule(p, t);
            }
        }
    }

    /** Scheduler.schedule: prev leaves (blocking, yielding or preempted), the policy picks. */
    private void reschedule(SimPcpu p, long t) {
        SimVcpu prev = p.current;
        long ranNs = 0;
        boolean prevEligible = false;
        if (prev != null) {
            ranNs = t - p.dispatchAt;
            ran(p, prev, t);
            prevEligible = leave(prev, p.dispatchAt, t);
            prev.unit.pcpu = -1;
            p.current = null;
        } else {
            idleNs += t - p.idleSince;
        }
        p.scheduling = true;
        Decision d = policy.doSchedule(p.id, prev == null ? null : prev.unit, prevEligible, ranNs, t);
        p.scheduling = false;
        SchedUnit next = d.unit();
        if (next == null) {
            p.idleSince = t;
            p.idleUntil = d.sliceNs() == Decision.IDLE_FOREVER ? Long.MAX_VALUE : t + Math.max(1, d.sliceNs());
            return;
        }
        SimVcpu v = vcpuOf(next);
        if (v.blocked() || next.pcpu >= 0 || !next.allowedOn(p.id) || next == (prev == null ? null : prev.unit) && !prevEligible) {
            throw new IllegalStateException("policy " + policy.name() + " picked " + next
                    + " which cannot run on pcpu" + p.id + " at " + t);
        }
        if (prev == null || prev != v) {
            contextSwitches++;
        }
        next.pcpu = p.id;
        next.lastPcpu = p.id;
        p.current = v;
        p.dispatchAt = t;
        p.sliceEnd = d.sliceNs() == Decision.IDLE_FOREVER ? Long.MAX_VALUE : t + Math.max(1, d.sliceNs());
        if (v.wokeAt >= 0) {
            latencies.get(next.domid()).add(t - v.wokeAt);
            v.wokeAt = -1;
        }
    }

    /** prev leaves its pCPU at t after running since {@code since}: whether it is still eligible. */
    private boolean leave(SimVcpu prev, long since, long t) {
        switch (prev.behaviour) {
            case SimBehaviour.BurstBlock b -> {
                prev.burstLeft -= t - since;
                if (prev.burstLeft <= 0) {
                    prev.burstLeft = b.burstNs();
                    prev.wakeAt = t + b.blockNs();
                    return false;
                }
            }
            case SimBehaviour.YieldBeforeTick y -> {
                if (y.nextYieldAfter(since) == t) {
                    policy.yield(prev.unit);
                }
            }
            case SimBehaviour.CpuBound c -> { }
        }
        return true;
    }

    private void ran(SimPcpu p, SimVcpu v, long t) {
        cpuNs.merge(v.unit.domid(), t - p.dispatchAt, Long::sum);
        if (segments != null && t > p.dispatchAt) {
            segments.add(new SimReport.Segment(p.id, v.unit.domid(), v.unit.vcpuId(), p.dispatchAt, t));
        }
    }

    private SimVcpu vcpuOf(SchedUnit u) {
        SimVcpu v = byUnit.get(u);
        if (v != null) {
            return v;
        }
        throw new IllegalStateException("policy " + policy.name() + " picked an unknown unit " + u);
    }

    private SimReport report(long durationNs) {
        Map<Integer, SimReport.DomainStats> stats = new LinkedHashMap<>();
        for (Map.Entry<Integer, Long> e : cpuNs.entrySet()) {
            long[] lat = latencies.get(e.getKey()).stream().mapToLong(Long::longValue).sorted().toArray();
            stats.put(e.getKey(), new SimReport.DomainStats(e.getKey(), e.getValue(), lat));
        }
        return new SimReport(pcpus.length, durationNs, stats, idleNs, contextSwitches,
                segments == null ? List.of() : List.copyOf(segments));
    }
}
