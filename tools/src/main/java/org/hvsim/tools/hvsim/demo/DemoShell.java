package org.hvsim.tools.hvsim.demo;

import java.io.IOException;

/** Where the demo's commands run: {@code hvsim}, {@code xl} and {@code lsevtchn} for the demo's host. */
public interface DemoShell {
    /** Runs {@code hvsim args...}; returns its exit code. */
    int hvsim(String... args) throws IOException;

    /** Runs {@code xl args...}; returns its exit code. */
    int xl(String... args) throws IOException;

    /** Runs {@code lsevtchn args...}; returns its exit code. */
    int lsevtchn(String... args) throws IOException;
}
