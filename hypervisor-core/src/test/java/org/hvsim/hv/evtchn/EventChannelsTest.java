package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ENOSPC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.DomId;
import org.junit.jupiter.api.Test;

/** The port table: reservation of port 0, allocation order, buckets and limits. */
class EventChannelsTest {
    private final TestHost host = new TestHost();

    @Test
    void port0IsReservedAndOnlyTheFirstBucketIsValidAtCreation() {
        TestDomain d = host.domU(1);
        assertEquals(ChannelState.RESERVED, host.evtchn.status(d, 0).orElseThrow().state());
        assertEquals(0, d.table.activeChannels());
        assertTrue(d.table.isValid(63));
        assertFalse(d.table.isValid(64));
    }

    @Test
    void validPortsGrowByBucketsUpToMaxPortAndNoFurther() {
        TestDomain d = host.add(new TestDomain(1, false, 1, 70));
        int last = 0;
        for (int port; (port = host.evtchn.allocUnbound(d, DomId.SELF)) > 0; ) {
            assertEquals(last + 1, port, "lowest free first");
            last = port;
        }
        assertEquals(70, last, "max_evtchn_port is the highest usable port");
        assertEquals(-ENOSPC, host.evtchn.bindIpi(d, 0));
        assertTrue(d.table.isValid(127), "the bucket holding port 70 makes 64..127 valid");
        assertEquals(ChannelState.FREE, host.evtchn.status(d, 100).orElseThrow().state());
        assertFalse(d.table.isValid(128));
        assertEquals(-EINVAL, host.evtchn.close(d, 100), "valid but free");
    }

    @Test
    void maxPortIsCappedAtThe2LevelLimit() {
        TestDomain d = host.add(new TestDomain(1, false, 1, 1 << 17));
        assertEquals(4095, d.table.maxPort());
        for (int i = 1; i <= 4095; i++) {
            assertEquals(i, host.evtchn.bindIpi(d, 0));
        }
        assertEquals(-ENOSPC, host.evtchn.bindIpi(d, 0));
        assertEquals(4095, d.table.activeChannels());
    }

    @Test
    void aNegativeMaxPortIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TestDomain(1, false, 1, -1));
    }

    @Test
    void maxPortZeroAllowsNoPortAtAll() {
        TestDomain d = host.add(new TestDomain(1, false, 1, 0));
        assertEquals(-ENOSPC, host.evtchn.allocUnbound(d, 0));
    }
}
