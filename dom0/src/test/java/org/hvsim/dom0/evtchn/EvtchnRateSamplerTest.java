package org.hvsim.dom0.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelCounters;
import org.hvsim.proto.control.EventChannelRate;
import org.hvsim.proto.control.EventChannelState;
import org.hvsim.proto.control.EventChannelSummary;
import org.junit.jupiter.api.Test;

class EvtchnRateSamplerTest {
    private static final long SECOND = 1_000_000_000L;

    private static EventChannel port(int domid, int port, long sends, long edges, long upcalls, long masked) {
        return EventChannel.newBuilder().setDomid(domid).setPort(port).setLabel("p" + port)
                .setState(EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN)
                .setCounters(EventChannelCounters.newBuilder().setSends(sends).setPendingEdges(edges)
                        .setUpcalls(upcalls).setMaskedDrops(masked).setCoalesced(1_000_000))
                .build();
    }

    private final EvtchnRateSampler sampler = new EvtchnRateSampler();

    @Test
    void theFirstReadingHasNothingToCompareWith() {
        assertNull(sampler.sample(List.of(port(1, 1, 5, 5, 5, 0)), SECOND));
    }

    @Test
    void ratesAreDeltasOverTheInterval() {
        sampler.sample(List.of(port(1, 3, 10, 4, 3, 1)), SECOND);
        EventChannelSummary s = sampler.sample(List.of(port(1, 3, 30, 8, 5, 3)), 3 * SECOND);
        assertEquals(2 * SECOND, s.getIntervalNanos());
        assertEquals(List.of(EventChannelRate.newBuilder().setDomid(1).setPort(3).setLabel("p3")
                .setState(EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN)
                .setSendsPerSecond(10).setPendingEdgesPerSecond(2).setUpcallsPerSecond(1).setMaskedDropsPerSecond(1)
                .build()), s.getRatesList());
    }

    @Test
    void aPortWhoseCountersWentDownWasReboundAndCountsFromZero() {
        sampler.sample(List.of(port(1, 3, 100, 50, 50, 0)), 0);
        EventChannelSummary s = sampler.sample(List.of(port(1, 3, 4, 60, 60, 0)), SECOND);
        EventChannelRate r = s.getRates(0);
        assertEquals(4, r.getSendsPerSecond());
        assertEquals(60, r.getPendingEdgesPerSecond(), "all of the new binding's counts, not 60 - 50");
        assertEquals(60, r.getUpcallsPerSecond());
    }

    @Test
    void aPortNotSeenBeforeCountsFromZero() {
        sampler.sample(List.of(), 0);
        EventChannelSummary s = sampler.sample(List.of(port(2, 9, 2, 1, 1, 0)), SECOND / 2);
        assertEquals(4, s.getRates(0).getSendsPerSecond());
        assertEquals(2, s.getRates(0).getPendingEdgesPerSecond());
    }

    @Test
    void idlePortsAreLeftOutAndTheBusiestComeFirst() {
        sampler.sample(List.of(port(1, 1, 0, 0, 0, 0), port(1, 2, 0, 0, 0, 0), port(2, 1, 0, 0, 0, 0),
                port(2, 2, 7, 7, 7, 0)), 0);
        EventChannelSummary s = sampler.sample(List.of(port(1, 1, 5, 0, 0, 0), port(1, 2, 1, 20, 20, 0),
                port(2, 1, 5, 0, 0, 0), port(2, 2, 7, 7, 7, 0)), SECOND);
        assertEquals(List.of("1:2", "1:1", "2:1"),
                s.getRatesList().stream().map(r -> r.getDomid() + ":" + r.getPort()).toList(),
                "21/s first; equal rates by domid then port; the idle port (coalesced aside) left out");
    }

    @Test
    void aReadingAtTheSameInstantGivesNoRates() {
        sampler.sample(List.of(port(1, 1, 0, 0, 0, 0)), SECOND);
        assertNull(sampler.sample(List.of(port(1, 1, 5, 0, 0, 0)), SECOND));
        EventChannelSummary s = sampler.sample(List.of(port(1, 1, 6, 0, 0, 0)), 2 * SECOND);
        assertEquals(1, s.getRates(0).getSendsPerSecond(), "compared with the reading just before");
    }
}
