package org.hvsim.tools.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hvsim.proto.control.EventChannelRate;
import org.hvsim.proto.control.EventChannelSummary;
import org.junit.jupiter.api.Test;

class RateSummaryTableTest {
    private static EventChannelRate rate(int domid, int port, String label, double sends, double edges,
            double upcalls, double masked) {
        return EventChannelRate.newBuilder().setDomid(domid).setPort(port).setLabel(label).setSendsPerSecond(sends)
                .setPendingEdgesPerSecond(edges).setUpcallsPerSecond(upcalls).setMaskedDropsPerSecond(masked).build();
    }

    @Test
    void busiestFirstInAlignedColumns() {
        EventChannelSummary summary = EventChannelSummary.newBuilder().setIntervalNanos(1_000_000_000L)
                .addRates(rate(2, 3, "console", 0.5, 0.5, 0.5, 0))
                .addRates(rate(1, 1, "xenstore", 12, 12, 11.25, 0.75))
                .addRates(rate(0, 12, "xenstore", 12, 12, 12, 0))
                .addRates(rate(1, 4, "", 0, 100, 100, 0))
                .build();

        assertEquals("""
                23:41:08.000000  rates over 1.000 s
                DOMAIN  PORT  LABEL     SENDS/S  EDGES/S  UPCALLS/S  MASKED/S
                     1     4                0.0    100.0      100.0       0.0
                     0    12  xenstore     12.0     12.0       12.0       0.0
                     1     1  xenstore     12.0     12.0       11.3       0.8
                     2     3  console       0.5      0.5        0.5       0.0

                """, RateSummaryTable.format("23:41:08.000000", summary));
    }

    @Test
    void columnsWidenForLongLabelsAndBigRates() {
        EventChannelSummary summary = EventChannelSummary.newBuilder().setIntervalNanos(500_000_000L)
                .addRates(rate(7, 2, "vbd 51712 queue 0", 1234567.89, 0, 0, 0))
                .build();

        assertEquals("""
                00:00:00.500000  rates over 0.500 s
                DOMAIN  PORT  LABEL                SENDS/S  EDGES/S  UPCALLS/S  MASKED/S
                     7     2  vbd 51712 queue 0  1234567.9      0.0        0.0       0.0

                """, RateSummaryTable.format("00:00:00.500000", summary));
    }

    @Test
    void anIntervalWithoutActivitySaysSo() {
        assertEquals("23:41:09.000000  rates over 2.000 s\n(no event channel activity)\n\n",
                RateSummaryTable.format("23:41:09.000000",
                        EventChannelSummary.newBuilder().setIntervalNanos(2_000_000_000L).build()));
    }
}
