package org.hvsim.domu.control;

import java.util.Optional;
import org.hvsim.hv.abi.ShutdownReason;

/**
 * The values the toolstack writes to {@code control/shutdown} that this kernel acts on, with the
 * {@code SHUTDOWN_*} reason each ends in, and whether the kernel advertises it as
 * {@code control/feature-<command> = 1} (Linux's {@code shutdown_handlers[]}: {@code halt} is handled but
 * not advertised). {@code suspend} is absent because this kernel cannot suspend: Linux built without suspend
 * support ignores it the same way, leaving the request unacknowledged for the toolstack to time out.
 * {@code crash} crashes the domain, as Mini-OS does for requests it does not know.
 */
public enum ShutdownRequest {
    POWEROFF("poweroff", ShutdownReason.POWEROFF, true),
    HALT("halt", ShutdownReason.POWEROFF, false),
    REBOOT("reboot", ShutdownReason.REBOOT, true),
    CRASH("crash", ShutdownReason.CRASH, false);

    private final String command;
    private final ShutdownReason reason;
    private final boolean advertised;

    ShutdownRequest(String command, ShutdownReason reason, boolean advertised) {
        this.command = command;
        this.reason = reason;
        this.advertised = advertised;
    }

    /** The value in {@code control/shutdown}. */
    public String command() {
        return command;
    }

    public ShutdownReason reason() {
        return reason;
    }

    /** Whether the kernel writes {@code control/feature-<command> = 1} at boot. */
    public boolean advertised() {
        return advertised;
    }

    /** The request {@code value} names exactly, if this kernel handles it. */
    public static Optional<ShutdownRequest> of(String value) {
        for (ShutdownRequest r : values()) {
            if (r.command.equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
