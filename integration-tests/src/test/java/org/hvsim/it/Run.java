package org.hvsim.it;

/** What a command did: its exit code and what it printed. */
public record Run(int exit, String out, String err) {
    public Run expectOk() {
        if (exit != 0) {
            throw new AssertionError("exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
        }
        return this;
    }
}
