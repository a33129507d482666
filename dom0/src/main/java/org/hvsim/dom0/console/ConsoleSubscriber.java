package org.hvsim.dom0.console;

/** A live console client (xl console): gets the guest's output, and the end when the domain goes. */
public interface ConsoleSubscriber {
    /** Bytes the guest wrote. Must not block. */
    void output(byte[] bytes);

    /** The console is gone (the domain was destroyed, or dom0 stops). */
    void ended();
}
