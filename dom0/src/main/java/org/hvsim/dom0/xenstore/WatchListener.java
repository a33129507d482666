package org.hvsim.dom0.xenstore;

/** Receives the watch events of an in-process client, in order, on that client's event thread. */
@FunctionalInterface
public interface WatchListener {

    /**
     * @param path the changed path (relative if the watch was set with a relative path)
     * @param token the token the watch was set with
     */
    void event(String path, String token);
}
