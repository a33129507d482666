package org.hvsim.hv.sched.credit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One pCPU's run queue ({@code csched_pcpu.runq}): ordered by priority, FIFO within a priority.
 * Touched only under the scheduler's lock.
 */
final class CreditRunQueue {
    private static final Comparator<CreditUnit> BY_PRIORITY = Comparator.comparingInt(u -> -u.pri.xenValue());

    final int cpu;
    private final List<CreditUnit> units = new ArrayList<>();

    CreditRunQueue(int cpu) {
        this.cpu = cpu;
    }

    /**
     * {@code runq_insert}: behind every unit of the same or higher priority; a unit that yielded
     * goes one further, behind the first unit of lower priority, so that one gets a turn.
     */
    void insert(CreditUnit u) {
        int at = 0;
        while (at < units.size() && !u.pri.higherThan(units.get(at).pri)) {
            at++;
        }
        if (u.yielded && at < units.size()) {
            at++;
        }
        units.add(at, u);
        u.runqCpu = cpu;
    }

    /** {@code runq_remove}. */
    void remove(CreditUnit u) {
        if (u.runqCpu == cpu && units.remove(u)) {
            u.runqCpu = -1;
        }
    }

    /** The head, or null. */
    CreditUnit peek() {
        return units.isEmpty() ? null : units.getFirst();
    }

    /**
     * The first unit of priority strictly higher than {@code than} (null: any) that may run on
     * {@code thief} ({@code csched_runq_steal}), taken off this queue; or null.
     */
    CreditUnit steal(int thief, CreditPriority than) {
        for (CreditUnit u : units) {
            if (than != null && !u.pri.higherThan(than)) {
                return null;
            }
            if (u.unit.allowedOn(thief)) {
                remove(u);
                return u;
            }
        }
        return null;
    }

    /** {@code csched_runq_sort}: restores the order after accounting changed priorities (stable). */
    void sort() {
        units.sort(BY_PRIORITY);
    }

    List<CreditUnit> units() {
        return units;
    }

    boolean isEmpty() {
        return units.isEmpty();
    }
}
