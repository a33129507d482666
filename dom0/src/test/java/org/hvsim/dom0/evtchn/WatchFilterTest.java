package org.hvsim.dom0.evtchn;

import static org.hvsim.dom0.evtchn.EvtchnWatcherTest.event;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.junit.jupiter.api.Test;

class WatchFilterTest {
    private static final EventChannelActivityKind BIND = EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_BIND;
    private static final EventChannelActivityKind SEND = EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND;

    @Test
    void emptySetsMatchEverything() {
        WatchFilter all = new WatchFilter(Set.of(), Set.of(), Set.of());
        assertTrue(all.matches(event(7, 4000, BIND)));
        assertTrue(all.matchesPort(0x7fef, 4095));
    }

    @Test
    void eachNonEmptySetMustContainTheEventsValue() {
        WatchFilter f = new WatchFilter(Set.of(1), Set.of(3, 4), Set.of(SEND));
        assertTrue(f.matches(event(1, 3, SEND)));
        assertFalse(f.matches(event(2, 3, SEND)));
        assertFalse(f.matches(event(1, 5, SEND)));
        assertFalse(f.matches(event(1, 4, BIND)));
        assertTrue(f.matchesPort(1, 4));
        assertFalse(f.matchesPort(1, 5));
        assertFalse(f.matchesPort(2, 4));
    }
}
