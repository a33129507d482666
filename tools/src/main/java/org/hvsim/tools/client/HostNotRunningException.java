package org.hvsim.tools.client;

import java.nio.file.Path;

/**
 * No host answers on a home's control socket. The message is one line for people: which socket, why,
 * and how to start a host.
 */
public final class HostNotRunningException extends Exception {
    private static final long serialVersionUID = 1L;

    public static final String HOW_TO_START = "start one with tools/bin/hvsim start";

    private HostNotRunningException(String message) {
        super(message);
    }

    /** The socket file does not exist. */
    public static HostNotRunningException noSocket(Path socket) {
        return new HostNotRunningException("no hvsim host is running: " + socket + " does not exist; "
                + HOW_TO_START);
    }

    /** The socket exists but nobody answers on it (a host that died, or one still starting). */
    public static HostNotRunningException unreachable(String socket, String why) {
        return new HostNotRunningException("no hvsim host answers on " + socket + " (" + why + "); "
                + HOW_TO_START);
    }
}
