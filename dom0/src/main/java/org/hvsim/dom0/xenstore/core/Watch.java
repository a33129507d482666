package org.hvsim.dom0.xenstore.core;

/**
 * One registered watch ({@code struct watch}): the absolute (or special) path watched, the client's
 * token, how many levels below the path count ({@code -1}: all), and how much of an event path to cut
 * off so a watch set with a relative path reports relative paths.
 */
public record Watch(String node, String token, int depth, int prefixLength) {

    /** The path a client sees for an event on {@code name}. */
    public String eventPath(String name) {
        return name.substring(prefixLength);
    }

    /** The wire size C xenstored charges to the owner's memory: path and token. */
    long memory() {
        return node.length() + token.length();
    }
}
