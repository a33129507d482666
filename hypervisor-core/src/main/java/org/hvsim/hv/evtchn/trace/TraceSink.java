package org.hvsim.hv.evtchn.trace;

/**
 * Where collected trace batches go. Called on the collector thread; must not block (a sink that
 * cannot take a batch now drops it and says so in its own counters).
 */
@FunctionalInterface
public interface TraceSink {
    void accept(TraceBatch batch);
}
