package org.hvsim.tools.xl;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT (and SIGTERM, SIGHUP) as the JVM delivers them: by running its shutdown hooks and then exiting with
 * 128 + the signal's number (130 for Ctrl-C). The hook runs the command's action, then waits up to
 * its grace ({@link #GRACE_MILLIS} by default) for the command to close its registration, so its last output is written.
 *
 * <p>Threads: {@link #onInterrupt} and {@code close} on the command's thread; the action on the JVM's
 * shutdown hook thread.
 */
public final class ShutdownHookInterrupts implements Interrupts {
    static final long GRACE_MILLIS = 2_000;

    private final long graceMillis;

    /** With the usual grace of {@value #GRACE_MILLIS} ms. */
    public ShutdownHookInterrupts() {
        this(GRACE_MILLIS);
    }

    /** With {@code graceMillis} for the command to finish after the action (a command that writes a file). */
    public ShutdownHookInterrupts(long graceMillis) {
        this.graceMillis = graceMillis;
    }

    @Override
    public Registration onInterrupt(Runnable action) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            action.run();
            try {
                finished.await(graceMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "xl-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the command has finished
            }
        };
    }
}
