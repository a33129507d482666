package org.hvsim.dom0.xenstore.core;

/** Handles one request type; replies through the request or throws {@code XenstoreException}. */
@FunctionalInterface
interface RequestHandler {
    void handle(Request request);
}
