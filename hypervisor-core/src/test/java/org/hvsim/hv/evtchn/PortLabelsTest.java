package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Map;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.evtchn.PortLabels.PortLabel;
import org.junit.jupiter.api.Test;

/** Port labels: those bindings give, those dom0 sets, what is refused, and the numbering's bound. */
class PortLabelsTest {
    private final TestHost host = new TestHost();
    private final EventChannelManager evtchn = host.evtchn;
    private final Hypercalls hc = new Hypercalls(host);
    private final TestDomain a = host.domU(1);
    private final TestDomain b = host.domU(2);

    private String label(TestDomain d, int port) {
        return evtchn.status(d, port).orElseThrow().label();
    }

    @Test
    void virqAndIpiPortsAreLabelledByTheirBinding() {
        assertEquals("VIRQ_TIMER", label(a, hc.bindVirq(a, Virq.TIMER, 1)));
        assertEquals("VIRQ_DEBUG", label(a, hc.bindVirq(a, Virq.DEBUG, 0)));
        assertEquals("IPI", label(a, hc.bindIpi(a, 2)));
        int unbound = hc.allocUnbound(a, a.domid, b.domid);
        assertEquals("", label(a, unbound), "nobody said what it is for");
        assertEquals("", label(b, hc.bindInterdomain(b, a.domid, unbound)));
    }

    @Test
    void aLabelSetOnABoundPortShowsInStatusAndListAndGoesWithTheClose() {
        int port = hc.allocUnbound(a, a.domid, b.domid);
        assertEquals(0, evtchn.label(a, port, "xenstore"));
        assertEquals("xenstore", label(a, port));
        assertEquals("xenstore", evtchn.list(a).stream().filter(s -> s.port() == port).findFirst().orElseThrow().label());
        assertEquals(0, evtchn.label(a, port, "console"), "a label may be replaced");
        assertEquals("console", label(a, port));

        assertEquals(0, hc.close(a, port));
        assertEquals("", label(a, port));
        assertEquals(port, hc.allocUnbound(a, a.domid, b.domid));
        assertEquals("", label(a, port), "the re-bound port does not inherit the old label");
    }

    @Test
    void labellingAnUnboundOrInvalidPortIsRefusedAndLeavesNothing() {
        int free = 5;
        assertEquals(-EINVAL, evtchn.label(a, free, "nothing here"));
        assertEquals("", label(a, free));
        assertEquals(-EINVAL, evtchn.label(a, 0, "port zero"), "port 0 is reserved, not bound");
        assertEquals("", label(a, 0));
        assertEquals(-EINVAL, evtchn.label(a, -1, "negative"));
        assertEquals(-EINVAL, evtchn.label(a, 1 << 20, "far beyond"));
        assertEquals(-EINVAL, evtchn.label(a, a.table.validPorts(), "just beyond"));
    }

    @Test
    void invalidTextsAreRefusedAndLeaveTheOldLabel() {
        int port = hc.bindIpi(a, 0);
        String tooLong = "é".repeat(33); // 66 bytes of UTF-8, 33 chars
        for (String bad : new String[] {"", tooLong, "a\nb", "tab\there", "nul\0", "del\u007f", "c1\u0085"}) {
            assertEquals(-EINVAL, evtchn.label(a, port, bad), "refused: " + bad.replace("\0", "\\0"));
            assertEquals("IPI", label(a, port));
        }
        assertEquals(0, evtchn.label(a, port, "x".repeat(PortLabels.MAX_LABEL_BYTES)), "64 bytes is the limit");
        assertEquals(0, evtchn.label(a, port, "vbd 51712 queue 0 ✓"), "non-ASCII, printable");
    }

    @Test
    void isValidCountsUtf8BytesNotCharacters() {
        assertTrue(PortLabels.isValid("é".repeat(32)));
        assertFalse(PortLabels.isValid("é".repeat(32) + "x"));
        assertTrue(PortLabels.isValid("a".repeat(64)));
        assertFalse(PortLabels.isValid("a".repeat(65)));
        assertFalse(PortLabels.isValid("\uD83D\uDE00".repeat(17)), "4-byte code points: 68 bytes");
        assertTrue(PortLabels.isValid("\uD83D\uDE00".repeat(16)));
    }

    @Test
    void internNumbersEachTextOnceFromOne() {
        PortLabels labels = new PortLabels();
        PortLabel x = labels.intern("xenstore");
        PortLabel c = labels.intern("console");
        assertEquals(1, x.id());
        assertEquals(2, c.id());
        assertSame(x, labels.intern("xenstore"));
        assertEquals("xenstore", labels.text(1));
        assertEquals("console", labels.text(2));
        assertNull(labels.text(0));
        assertNull(labels.text(3));
        assertNull(labels.text(-1));
        assertNull(labels.text(PortLabels.MAX_LABELS + 1));
    }

    @Test
    void numberingStopsAtMaxLabelsWithIdZeroAndTheMapDoesNotGrow() throws Exception {
        PortLabels labels = new PortLabels();
        for (int i = 1; i <= PortLabels.MAX_LABELS; i++) {
            assertEquals(i, labels.intern("label " + i).id());
        }
        assertEquals("label " + PortLabels.MAX_LABELS, labels.text(PortLabels.MAX_LABELS));
        int before = byText(labels).size();
        for (int i = 0; i < 1000; i++) {
            PortLabel extra = labels.intern("extra " + i);
            assertEquals(0, extra.id());
            assertEquals("extra " + i, extra.text(), "the text is still kept, unnumbered");
        }
        assertEquals(before, byText(labels).size(), "unnumbered labels are not remembered");
        assertEquals(7, labels.intern("label 7").id(), "known texts keep their number");
    }

    @Test
    void anUnnumberedLabelStillShowsOnItsPort() {
        for (int i = 1; i <= PortLabels.MAX_LABELS; i++) {
            int port = hc.bindIpi(a, 0);
            assertEquals(0, evtchn.label(a, port, "n" + i));
            assertEquals(0, hc.close(a, port));
        }
        int port = hc.bindIpi(a, 0);
        assertEquals(0, evtchn.label(a, port, "one too many"));
        assertEquals("one too many", label(a, port));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, PortLabel> byText(PortLabels labels) throws ReflectiveOperationException {
        Field f = PortLabels.class.getDeclaredField("byText");
        f.setAccessible(true);
        return (Map<String, PortLabel>) f.get(labels);
    }
}
