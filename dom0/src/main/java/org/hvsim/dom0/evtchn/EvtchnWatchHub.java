package org.hvsim.dom0.evtchn;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.dom0.xen.EventChannelInspector;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the hypervisor's event channel trace out to every watcher. The trace runs only while someone
 * watches: the first watcher starts it, the last one to leave stops it. Batches arrive on the privcmd
 * channel's event loop and are only queued there (at most {@value #MAX_QUEUED_BATCHES}; beyond that a
 * batch is dropped and its events counted as lost for every watcher); a dispatcher thread decodes each
 * batch once and offers it to each watcher, which keeps what its filter wants in its own bounded queue.
 *
 * <p>Threads: {@link #add} and {@link #remove} on gRPC threads; batches on the privcmd event loop;
 * the dispatcher is a virtual thread of its own.
 */
public final class EvtchnWatchHub implements AutoCloseable {
    static final int MAX_QUEUED_BATCHES = 64;
    private static final Logger LOG = LoggerFactory.getLogger(EvtchnWatchHub.class);

    private final EventChannelInspector inspector;
    private final Set<EvtchnWatcher> watchers = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<EvtchnTraceBatch> batches = new ArrayBlockingQueue<>(MAX_QUEUED_BATCHES);
    private final AtomicLong lostInHub = new AtomicLong();
    private final Thread dispatcher;

    public EvtchnWatchHub(EventChannelInspector inspector) {
        this.inspector = inspector;
        this.dispatcher = Thread.ofVirtual().name("evtchn-watch-hub").start(this::dispatch);
    }

    /** Adds a watcher; the trace starts with the first. */
    public synchronized void add(EvtchnWatcher watcher) {
        watchers.add(watcher);
        if (watchers.size() == 1) {
            inspector.trace(this::onBatch);
            LOG.info("event channel trace on: a watcher attached");
        }
    }

    /** Removes a watcher (closing it); the trace stops with the last. */
    public synchronized void remove(EvtchnWatcher watcher) {
        watcher.close();
        if (watchers.remove(watcher) && watchers.isEmpty()) {
            inspector.trace(null);
            LOG.info("event channel trace off: no watcher left");
        }
    }

    /** Watchers attached now. */
    public int watchers() {
        return watchers.size();
    }

    private void onBatch(EvtchnTraceBatch batch) {
        if (!batches.offer(batch)) {
            lostInHub.addAndGet(batch.getWordsCount() / EvtchnTraceRecord.WORDS + batch.getDropped());
        }
    }

    private void dispatch() {
        while (true) {
            EvtchnTraceBatch batch;
            try {
                batch = batches.take();
            } catch (InterruptedException e) {
                return;
            }
            long lost = batch.getDropped() + lostInHub.getAndSet(0);
            List<EventChannelEvent> events = new ArrayList<>(batch.getWordsCount() / EvtchnTraceRecord.WORDS);
            for (int i = 0; i + 2 < batch.getWordsCount(); i += EvtchnTraceRecord.WORDS) {
                EvtchnViews.events(batch.getWords(i), batch.getWords(i + 1), batch.getWords(i + 2),
                        batch.getClockOffsetUnixNanos(), batch.getLabelsMap(), events);
            }
            for (EvtchnWatcher w : watchers) {
                w.offer(events, lost);
            }
        }
    }

    @Override
    public synchronized void close() {
        dispatcher.interrupt();
        for (EvtchnWatcher w : watchers) {
            w.close();
        }
        if (!watchers.isEmpty()) {
            watchers.clear();
            inspector.trace(null);
        }
    }
}
