package org.hvsim.hv.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EventChannelManager#list(EvtchnDomain, int, int)}: ports in use from a port on, a page at a time. */
class EventChannelListTest {
    private final TestHost host = new TestHost();
    private final EventChannelManager evtchn = host.evtchn;
    private final TestDomain a = host.domU(1);

    private static List<Integer> ports(List<PortStatus> statuses) {
        return statuses.stream().map(PortStatus::port).toList();
    }

    /** Binds ports 1..n and closes those in {@code closed}. */
    private void bind(int n, int... closed) {
        for (int i = 1; i <= n; i++) {
            assertEquals(i, evtchn.bindIpi(a, 0));
        }
        for (int p : closed) {
            assertEquals(0, evtchn.close(a, p));
        }
    }

    @Test
    void listsPortsInUseFromFirstPortInOrderAtMostMax() {
        bind(10, 3, 4, 8);
        assertEquals(List.of(1, 2, 5, 6, 7, 9, 10), ports(evtchn.list(a)));
        assertEquals(List.of(5, 6, 7), ports(evtchn.list(a, 3, 3)));
        assertEquals(List.of(9, 10), ports(evtchn.list(a, 8, 100)));
        assertEquals(List.of(10), ports(evtchn.list(a, 10, 1)));
        assertEquals(List.of(), ports(evtchn.list(a, 11, 100)));
        assertEquals(List.of(), ports(evtchn.list(a, 5, 0)));
    }

    @Test
    void portZeroIsNeverListedWhateverTheFirstPort() {
        bind(2);
        assertEquals(List.of(1, 2), ports(evtchn.list(a, 0, 10)));
        assertEquals(List.of(1, 2), ports(evtchn.list(a, Integer.MIN_VALUE, 10)));
    }

    @Test
    void portsBeyondTheTableGiveAnEmptyPage() {
        bind(2);
        assertEquals(List.of(), evtchn.list(a, a.table.validPorts(), 10));
        assertEquals(List.of(), evtchn.list(a, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void pagesFollowedFromTheLastPortPlusOneCoverEveryPortOnce() {
        bind(200, 64, 65, 127, 128, 150);
        List<Integer> all = ports(evtchn.list(a));
        assertEquals(195, all.size());
        List<Integer> paged = new ArrayList<>();
        int from = 1;
        while (true) {
            List<PortStatus> page = evtchn.list(a, from, 7);
            paged.addAll(ports(page));
            if (page.size() < 7) {
                break;
            }
            from = page.getLast().port() + 1;
        }
        assertEquals(all, paged);
    }
}
