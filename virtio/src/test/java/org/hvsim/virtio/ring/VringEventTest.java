package org.hvsim.virtio.ring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** vring_need_event: notify iff the event index was crossed, in 16-bit arithmetic. */
class VringEventTest {

    @Test
    void usedEventZeroNotifiesAfterTheFirstBufferAndAgainAfter65536() {
        assertTrue(VringEvent.needEvent(0, 1, 0));
        assertFalse(VringEvent.needEvent(0, 2, 1));
        assertTrue(VringEvent.needEvent(0, 1, 65535 + 1 & 0xffff)); // 0 → 1 again after a full turn
    }

    @Test
    void crossingTheEventAcrossTheWrapNotifies() {
        assertTrue(VringEvent.needEvent(65535, 2, 65534)); // 65534 → 65535 → 0 → 1 → 2 passes 65535
        assertFalse(VringEvent.needEvent(3, 2, 65534));
        assertTrue(VringEvent.needEvent(0, 5, 65530));
        assertFalse(VringEvent.needEvent(65529, 5, 65530)); // already behind the old index
    }

    @Test
    void noMovementNeverNotifies() {
        assertFalse(VringEvent.needEvent(7, 7, 7));
        assertFalse(VringEvent.needEvent(6, 7, 7));
    }

    /** Same as walking the indices one by one from old to new and checking whether event is among those passed. */
    @Property
    void matchesAWalkOfTheIndices(@ForAll @IntRange(max = 65535) int event, @ForAll @IntRange(max = 65535) int old,
            @ForAll @IntRange(max = 2000) int moved) {
        int now = (old + moved) & 0xffff;
        boolean crossed = false;
        for (int i = 0; i < moved; i++) {
            crossed |= ((old + i) & 0xffff) == event;
        }
        if (crossed != VringEvent.needEvent(event, now, old)) {
            throw new AssertionError("event " + event + " old " + old + " new " + now);
        }
    }
}
