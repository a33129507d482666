package org.hvsim.hv.sched;

/**
 * A snapshot of {@code struct vcpu_runstate_info}: the current state, when it was entered, and the
 * nanoseconds spent in each state so far (running, runnable, blocked, offline), including the
 * current one up to the snapshot.
 */
public record RunstateInfo(int state, long stateEntryTime, long running, long runnable, long blocked, long offline) {

    public long time(int state) {
        return switch (state) {
            case 0 -> running;
            case 1 -> runnable;
            case 2 -> blocked;
            case 3 -> offline;
            default -> throw new IllegalArgumentException("runstate " + state);
        };
    }
}
