package org.hvsim.tools.xl;

/**
 * The user's Ctrl-C, for commands that run until interrupted ({@code xl evtchn-watch}): what to do when it
 * comes, so the command can end its call and print its last lines instead of dying mid-line.
 */
@FunctionalInterface
public interface Interrupts {
    /**
     * Runs {@code action} (on some other thread) when the user interrupts xl, until the registration is
     * closed. The process may end soon after the action: the command closes the registration when it has
     * finished, and the process waits for that (briefly) before it exits.
     */
    Registration onInterrupt(Runnable action);

    /** An action registered for the next interrupt; closing it unregisters it (idempotent). */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
