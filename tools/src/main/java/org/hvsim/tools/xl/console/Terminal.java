package org.hvsim.tools.xl.console;

import java.io.IOException;

/** The terminal xl's stdin may be: whether it is one, and raw mode for {@code xl console}. */
public interface Terminal {
    /** True if stdin is a terminal. */
    boolean stdinIsTerminal();

    /**
     * Puts stdin's terminal in raw mode without echo. Closing the result restores the previous settings,
     * and so does the JVM's exit if it comes first.
     */
    RawMode enterRawMode() throws IOException;

    /** A stdin that is not a terminal (a pipe, a file, nothing): raw mode fails with {@code why}. */
    static Terminal none(String why) {
        return new Terminal() {
            @Override
            public boolean stdinIsTerminal() {
                return false;
            }

            @Override
            public RawMode enterRawMode() throws IOException {
                throw new IOException(why);
            }
        };
    }

    /** Raw mode in force; {@link #close} restores the terminal (idempotent). */
    interface RawMode extends AutoCloseable {
        @Override
        void close();
    }
}
