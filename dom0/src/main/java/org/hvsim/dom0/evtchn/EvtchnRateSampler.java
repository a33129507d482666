package org.hvsim.dom0.evtchn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelCounters;
import org.hvsim.proto.control.EventChannelRate;
import org.hvsim.proto.control.EventChannelSummary;

/**
 * Events per second per port, from two readings of the hypervisor's per-port counters: exact, since
 * counters lose nothing, whatever the rate. A port whose counters went down was closed and bound
 * again in between: its new counters are all new activity. Threads: one at a time.
 */
public final class EvtchnRateSampler {
    private Map<Long, EventChannel> previous;
    private long previousAtNanos;

    /**
     * Takes a reading of {@code ports} at {@code nowNanos}; returns the rates since the previous
     * reading (ports with any activity, busiest first), or null for the first reading.
     */
    public EventChannelSummary sample(List<EventChannel> ports, long nowNanos) {
        Map<Long, EventChannel> current = new HashMap<>();
        for (EventChannel p : ports) {
            current.put(key(p), p);
        }
        Map<Long, EventChannel> before = previous;
        long interval = nowNanos - previousAtNanos;
        previous = current;
        previousAtNanos = nowNanos;
        if (before == null || interval <= 0) {
            return null;
        }
        List<EventChannelRate> rates = new ArrayList<>();
        for (EventChannel p : ports) {
            EventChannelCounters now = p.getCounters();
            EventChannel old = before.get(key(p));
            EventChannelCounters then = old == null || rebound(old.getCounters(), now)
                    ? EventChannelCounters.getDefaultInstance() : old.getCounters();
            long sends = now.getSends() - then.getSends();
            long edges = now.getPendingEdges() - then.getPendingEdges();
            long upcalls = now.getUpcalls() - then.getUpcalls();
            long masked = now.getMaskedDrops() - then.getMaskedDrops();
            if (sends == 0 && edges == 0 && upcalls == 0 && masked == 0) {
                continue;
            }
            rates.add(EventChannelRate.newBuilder()
                    .setDomid(p.getDomid())
                    .setPort(p.getPort())
                    .setLabel(p.getLabel())
                    .setState(p.getState())
                    .setSendsPerSecond(perSecond(sends, interval))
                    .setPendingEdgesPerSecond(perSecond(edges, interval))
                    .setUpcallsPerSecond(perSecond(upcalls, interval))
                    .setMaskedDropsPerSecond(perSecond(masked, interval))
                    .build());
        }
        rates.sort(Comparator.comparingDouble((EventChannelRate r) -> r.getSendsPerSecond() + r.getPendingEdgesPerSecond())
                .reversed().thenComparingInt(EventChannelRate::getDomid).thenComparingInt(EventChannelRate::getPort));
        return EventChannelSummary.newBuilder().setIntervalNanos(interval).addAllRates(rates).build();
    }

    private static boolean rebound(EventChannelCounters then, EventChannelCounters now) {
        return now.getSends() < then.getSends() || now.getPendingEdges() < then.getPendingEdges()
                || now.getUpcalls() < then.getUpcalls() || now.getMaskedDrops() < then.getMaskedDrops();
    }

    private static double perSecond(long count, long intervalNanos) {
        return count * 1e9 / intervalNanos;
    }

    private static long key(EventChannel p) {
        return (long) p.getDomid() << 32 | p.getPort();
    }
}
