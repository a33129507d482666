package org.hvsim.dom0.xenstore.core;

/** How an event's path is matched against watches ({@code enum watch_match} in C xenstored). */
enum WatchMatch {
    /** Only watches on exactly this path (a node removed below the removal's root). */
    EXACT,
    /** Watches on this path or any ancestor, within their depth (creation, change, removal root). */
    SUBTREE,
    /** {@code <special>/<domid>}: watches on exactly it, or on the special path with depth above 0. */
    DEPTH,
    /** {@code <special>} itself: watches on it without a depth. */
    NODEPTH
}
