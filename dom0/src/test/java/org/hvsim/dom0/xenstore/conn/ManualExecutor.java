package org.hvsim.dom0.xenstore.conn;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** The dispatch thread played by the test thread: tasks run when the test says, in FIFO order. */
final class ManualExecutor implements Executor {
    private final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable r) {
        tasks.addLast(r);
    }

    /** Runs one task; returns false if there was none. */
    boolean runOne() {
        Runnable r = tasks.pollFirst();
        if (r == null) {
            return false;
        }
        r.run();
        return true;
    }

    /** Runs tasks until none is left (at most {@code limit}); returns how many ran. */
    int runAll(int limit) {
        int n = 0;
        while (n < limit && runOne()) {
            n++;
        }
        return n;
    }

    int runAll() {
        return runAll(100_000);
    }

    int pending() {
        return tasks.size();
    }
}
