package org.hvsim.it;

import java.util.List;

/** What a command did: its exit code and what it printed. */
public record Run(int exit, String out, String err) {
    public Run expectOk() {
        return expectExit(0);
    }

    /** This run, if it exited with {@code code}; otherwise an AssertionError showing everything it printed. */
    public Run expectExit(int code) {
        if (exit != code) {
            throw new AssertionError("expected exit " + code + ", got " + exit + "\nstdout:\n" + out
                    + "\nstderr:\n" + err);
        }
        return this;
    }

    /** The lines of standard output, without their newlines. */
    public List<String> outLines() {
        return out.lines().toList();
    }

    /** The lines of standard error, without their newlines. */
    public List<String> errLines() {
        return err.lines().toList();
    }
}
