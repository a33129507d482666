package org.hvsim.domu.xenbus;

import java.util.Objects;
import org.hvsim.domu.cpu.PerCpu;

/**
 * A registered watch (Linux's {@code struct xenbus_watch}): the watched path, the token the client gave
 * xenstored for it, and the callback the xenwatch worker runs for each {@code XS_WATCH_EVENT}. Made by
 * {@link XenbusClient#watch}; pass it to {@link XenbusClient#unwatch} to remove it.
 */
public final class XenbusWatch {

    /** What runs when the watch fires: in task context on some vCPU, never in an event handler. */
    @FunctionalInterface
    public interface Callback {
        /**
         * {@code path} (the watched path or one below it; relative if the watch path was) changed. A callback
         * may make XenStore requests; a {@link XenbusException} it throws is counted and reported.
         */
        void fired(PerCpu cpu, String path);
    }

    private final String path;
    private final String token;
    private final Callback callback;

    XenbusWatch(String path, String token, Callback callback) {
        this.path = Objects.requireNonNull(path, "path");
        this.token = Objects.requireNonNull(token, "token");
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    public String path() {
        return path;
    }

    /** The token xenstored echoes in this watch's events. */
    public String token() {
        return token;
    }

    Callback callback() {
        return callback;
    }

    @Override
    public String toString() {
        return "watch " + path + " (" + token + ")";
    }
}
