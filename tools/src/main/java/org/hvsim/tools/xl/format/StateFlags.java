package org.hvsim.tools.xl.format;

import org.hvsim.proto.control.DomainInfo;

/**
 * xl list's six state characters, in order: {@code r} running, {@code b} blocked, {@code p} paused,
 * {@code s} shut down, the shutdown reason letter (only when shut down: {@code -} poweroff, {@code r}
 * reboot, {@code s} suspend, {@code c} crash, {@code w} watchdog, {@code S} soft_reset, {@code ?} other),
 * {@code d} dying. A clear flag is {@code -}.
 */
public final class StateFlags {
    /** Letters for SHUTDOWN_poweroff .. SHUTDOWN_soft_reset, as xl's {@code shutdown_reason_letters}. */
    private static final String REASON_LETTERS = "-rscwS";

    private StateFlags() {
    }

    public static String of(DomainInfo d) {
        return of(d.getRunning(), d.getBlocked(), d.getPaused(), d.getShutdown(), d.getShutdownReason(),
                d.getDying());
    }

    public static String of(boolean running, boolean blocked, boolean paused, boolean shutdown, int reason,
            boolean dying) {
        int effectiveReason = shutdown ? reason : 0;
        char reasonLetter = Integer.compareUnsigned(effectiveReason, REASON_LETTERS.length()) < 0
                ? REASON_LETTERS.charAt(effectiveReason) : '?';
        return new String(new char[] {
            running ? 'r' : '-',
            blocked ? 'b' : '-',
            paused ? 'p' : '-',
            shutdown ? 's' : '-',
            reasonLetter,
            dying ? 'd' : '-',
        });
    }
}
