package org.hvsim.dom0.blkback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.hvsim.virtio.VirtioFeature;
import org.hvsim.virtio.ring.VirtqueueLayout;

/** The frontend's keys are guest-written: any values give a checked setup or one line of refusal. */
class FrontendQueueSetupPropertyTest {
    private static final long OFFERED = VirtioBlkOffer.of(1 << 20, false).features();
    private static final long REQUIRED = VirtioFeature.mask(VirtioFeature.VERSION_1)
            | VirtioFeature.mask(VirtioFeature.ACCESS_PLATFORM);

    private static Map<String, String> good(int size) {
        Map<String, String> m = new HashMap<>();
        m.put(FrontendQueueSetup.FEATURES, Long.toHexString(OFFERED));
        m.put(FrontendQueueSetup.QUEUE_SIZE, Integer.toString(size));
        m.put(FrontendQueueSetup.DESC_REF, refs(10, FrontendQueueSetup.pages(VirtqueueLayout.descTableBytes(size))));
        m.put(FrontendQueueSetup.AVAIL_REF, refs(20, FrontendQueueSetup.pages(VirtqueueLayout.availRingBytes(size))));
        m.put(FrontendQueueSetup.USED_REF, refs(30, FrontendQueueSetup.pages(VirtqueueLayout.usedRingBytes(size))));
        m.put(FrontendQueueSetup.EVENT_CHANNEL, "7");
        return m;
    }

    private static String refs(int first, int n) {
        return IntStream.range(first, first + n).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Example
    void theContractsKeysAreRead() throws Exception {
        FrontendQueueSetup s = FrontendQueueSetup.parse(good(256)::get, OFFERED, 256);
        assertEquals(256, s.size());
        assertEquals(List.of(10), s.descRefs());
        assertEquals(List.of(20), s.availRefs());
        assertEquals(List.of(30), s.usedRefs());
        assertEquals(7, s.eventChannel());
        assertEquals(new VirtqueueLayout(256, 0, 4096, 8192), s.layout());
    }

    @Example
    void refusalsSayWhy() {
        Map<String, String> m = good(256);
        m.put(FrontendQueueSetup.FEATURES, Long.toHexString(OFFERED | 1L << 40));
        assertTrue(assertThrows(FrontendSetupException.class, () -> FrontendQueueSetup.parse(m::get, OFFERED, 256))
                .getMessage().contains("not offered"));
        m.put(FrontendQueueSetup.FEATURES, Long.toHexString(OFFERED & ~VirtioFeature.mask(VirtioFeature.ACCESS_PLATFORM)));
        assertTrue(assertThrows(FrontendSetupException.class, () -> FrontendQueueSetup.parse(m::get, OFFERED, 256))
                .getMessage().contains("VIRTIO_F_ACCESS_PLATFORM"));
        Map<String, String> n = good(256);
        n.put(FrontendQueueSetup.QUEUE_SIZE, "512");
        assertThrows(FrontendSetupException.class, () -> FrontendQueueSetup.parse(n::get, OFFERED, 256));
        n.put(FrontendQueueSetup.QUEUE_SIZE, "96");
        assertThrows(FrontendSetupException.class, () -> FrontendQueueSetup.parse(n::get, OFFERED, 256));
        Map<String, String> r = good(256);
        r.put(FrontendQueueSetup.USED_REF, "30,31");
        assertTrue(assertThrows(FrontendSetupException.class, () -> FrontendQueueSetup.parse(r::get, OFFERED, 256))
                .getMessage().contains("needs 1"));
        r.remove(FrontendQueueSetup.USED_REF);
        assertTrue(assertThrows(FrontendSetupException.class, () -> FrontendQueueSetup.parse(r::get, OFFERED, 256))
                .getMessage().contains("missing"));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().map(n -> Long.toHexString(n))),
                Tuple.of(4, Arbitraries.longs().between(0, 1L << 33).map(n -> Long.toString(n))),
                Tuple.of(2, Arbitraries.integers().between(0, 5000).list().ofMaxSize(4)
                        .map(l -> l.stream().map(Object::toString).collect(Collectors.joining(",")))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(30)),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789abcdefABCDEF,x- ").ofMaxLength(24)));
    }

    @Provide
    Arbitrary<Map<String, String>> setups() {
        List<String> keys = List.of(FrontendQueueSetup.FEATURES, FrontendQueueSetup.QUEUE_SIZE,
                FrontendQueueSetup.DESC_REF, FrontendQueueSetup.AVAIL_REF, FrontendQueueSetup.USED_REF,
                FrontendQueueSetup.EVENT_CHANNEL);
        Arbitrary<Integer> sizes = Arbitraries.of(1, 2, 4, 8, 16, 32, 64, 128, 256);
        // Start from a good setup and spoil a few keys (or none).
        return Combinators.combine(sizes, Arbitraries.of(keys).list().ofMaxSize(3), values().list().ofSize(3),
                Arbitraries.integers().between(0, 9)).as((size, spoilt, vals, drop) -> {
                    Map<String, String> m = good(size);
                    for (int i = 0; i < spoilt.size(); i++) {
                        m.put(spoilt.get(i), vals.get(i));
                    }
                    if (drop < keys.size() && !spoilt.isEmpty()) {
                        m.remove(keys.get(drop));
                    }
                    return m;
                });
    }

    @Property(tries = 2000)
    void anySetupIsCheckedOrRefusedInOneLine(@ForAll("setups") Map<String, String> keys) {
        FrontendQueueSetup s;
        try {
            s = FrontendQueueSetup.parse(keys::get, OFFERED, VirtioBlkOffer.QUEUE_MAX_SIZE);
        } catch (FrontendSetupException e) {
            assertFalse(e.getMessage().isEmpty());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().length() < 200, e.getMessage());
            return;
        }
        assertEquals(0, s.features() & ~OFFERED);
        assertEquals(REQUIRED, s.features() & REQUIRED);
        assertTrue(VirtqueueLayout.isValidSize(s.size()) && s.size() <= VirtioBlkOffer.QUEUE_MAX_SIZE);
        assertTrue(s.eventChannel() > 0 && s.eventChannel() <= FrontendQueueSetup.MAX_PORT);
        VirtqueueLayout l = s.layout();
        assertTrue(l.descTable() + VirtqueueLayout.descTableBytes(s.size()) <= l.availRing());
        assertTrue(l.availRing() + VirtqueueLayout.availRingBytes(s.size()) <= l.usedRing());
        assertTrue(l.usedRing() + VirtqueueLayout.usedRingBytes(s.size())
                <= 4096L * (s.descRefs().size() + s.availRefs().size() + s.usedRefs().size()));
    }
}
