package org.hvsim.virtio.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.virtio.dma.DmaFault;
import org.hvsim.virtio.dma.GuestRegion;
import org.hvsim.virtio.dma.IdentityDmaTranslator;

/**
 * Chain parsing against an independent model: for random descriptor tables and indirect tables (loops, bad
 * indices, bad lengths, nested tables, huge lengths, addresses outside the granted window, mixed read/write
 * order), the device queue and a model written from the spec's rules on a plain map of descriptors agree:
 * the same buffers, or the same rejection.
 */
class DescriptorChainPropertyTest {

    private static final long RING = 0x1000;
    private static final long GRANTED_START = 0x4000;
    private static final long GRANTED_END = 0x10000;
    private static final long[] TABLES = {0x4000, 0x4400};
    private static final List<Long> TABLE_ADDRS = List.of(0x4000L, 0x4400L);
    private static final List<Long> BUFFERS = List.of(0x8000L, 0x9000L, 0xfff0L, 0x0L, 0x2000_0000L);
    private static final List<Long> LENS = List.of(0L, 1L, 15L, 16L, 17L, 32L, 48L, 64L, 100L, 4096L, 0x8000_0000L,
            0xffff_ffffL);

    record World(int size, List<Descriptor> direct, List<List<Descriptor>> tables, int head,
            RingFeatures features) {
    }

    /** A buffer the model expects: address, length, device-writable. */
    record Buf(long addr, long len, boolean write) {
    }

    /** Either buffers or an error. */
    record Verdict(List<Buf> readable, List<Buf> writable, VirtqueueError error) {
    }

    @Provide
    Arbitrary<World> worlds() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, randomWorlds()), net.jqwik.api.Tuple.of(1, chainedWorlds()));
    }

    /** Tables of random descriptors: mostly broken chains. */
    private static Arbitrary<World> randomWorlds() {
        return Arbitraries.of(1, 2, 4, 8, 16).flatMap(size -> {
            Arbitrary<Descriptor> desc = descriptors(size);
            Arbitrary<List<Descriptor>> table = desc.list().ofMinSize(0).ofMaxSize(size + 1);
            return Combinators.combine(desc.list().ofSize(size), table.list().ofSize(TABLES.length),
                    Arbitraries.integers().between(0, size), // size itself: a head out of range
                    Arbitraries.of(true, false), Arbitraries.of(true, false))
                    .as((direct, tables, head, indirect, strict) -> {
                        // half the time the head points at a valid table, so that the walk reaches its entries
                        List<Descriptor> d = new ArrayList<>(direct);
                        int entries = Math.min(size, tables.getFirst().size());
                        if (head < size && entries > 0 && (head + entries) % 2 == 0) {
                            d.set(head, new Descriptor(TABLES[0], 16L * entries, Descriptor.F_INDIRECT, 0));
                        }
                        return new World(size, d, tables, head, new RingFeatures(false, indirect, strict));
                    });
        });
    }

    /**
     * k direct buffers linked 0→1→…, then a pointer to an indirect table of e linked entries, writable from some
     * point on: well-formed when k + e ≤ size, CHAIN_TOO_LONG otherwise.
     */
    private static Arbitrary<World> chainedWorlds() {
        return Arbitraries.of(2, 4, 8, 16).flatMap(size -> Combinators.combine(
                Arbitraries.integers().between(0, size - 1), Arbitraries.integers().between(1, size),
                Arbitraries.integers().between(0, 2 * size), Arbitraries.of(true, false))
                .as((k, e, firstWritable, strict) -> {
                    List<Descriptor> direct = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        int w = i >= firstWritable ? Descriptor.F_WRITE : 0;
                        direct.add(i < k ? new Descriptor(0x8000, 16, Descriptor.F_NEXT | w, i + 1)
                                : i == k ? new Descriptor(TABLES[0], 16L * e, Descriptor.F_INDIRECT, 0)
                                : new Descriptor(0, 0, 0, 0));
                    }
                    List<Descriptor> table = new ArrayList<>();
                    for (int i = 0; i < e; i++) {
                        boolean backToReadable = i == e - 1 && (k + e + firstWritable) % 7 == 3;
                        int w = k + i >= firstWritable && !backToReadable ? Descriptor.F_WRITE : 0;
                        boolean huge = i == 1 && (k + e + firstWritable) % 5 == 0; // 512 + 2^32 - 1 bytes
                        table.add(new Descriptor(0x9000, huge ? 0xffff_ffffL : 512,
                                (i < e - 1 ? Descriptor.F_NEXT : 0) | w, i + 1));
                    }
                    return new World(size, direct, List.of(table, List.of()), 0, new RingFeatures(false, true, strict));
                }));
    }

    private static Arbitrary<Descriptor> descriptors(int size) {
        Arbitrary<Long> addr = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(BUFFERS)), net.jqwik.api.Tuple.of(2, Arbitraries.of(TABLE_ADDRS)));
        Arbitrary<Long> len = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(LENS)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, size + 2).map(n -> 16L * n)));
        Arbitrary<Integer> flags = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(Descriptor.F_NEXT, Descriptor.F_NEXT | Descriptor.F_WRITE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(0, Descriptor.F_WRITE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Descriptor.F_INDIRECT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 0xffff)));
        Arbitrary<Integer> next = Arbitraries.integers().between(0, size + 1);
        return Combinators.combine(addr, len, flags, next).as(Descriptor::new);
    }

    @Property(tries = 3000)
    void deviceQueueAgreesWithTheModel(@ForAll("worlds") World w) {
        SegmentGuestMemory mem = SegmentGuestMemory.allocate(GRANTED_END);
        VirtqueueLayout layout = VirtqueueLayout.contiguous(w.size(), RING);
        for (int i = 0; i < w.size(); i++) {
            w.direct().get(i).write(mem, layout.descriptor(i));
        }
        Map<Long, Descriptor> tableEntries = new HashMap<>();
        for (int t = 0; t < TABLES.length; t++) {
            List<Descriptor> entries = w.tables().get(t);
            for (int i = 0; i < entries.size(); i++) {
                entries.get(i).write(mem, TABLES[t] + 16L * i);
                tableEntries.put(TABLES[t] + 16L * i, entries.get(i));
            }
        }
        mem.putShort(layout.availRingEntry(0), (short) w.head());
        mem.putShort(layout.availIdx(), (short) 1);
        IdentityDmaTranslator identity = new IdentityDmaTranslator(mem);
        DeviceQueue q;
        try {
            q = DeviceQueue.create(mem, layout, (addr, len, write) -> {
                if (addr < GRANTED_START || addr > GRANTED_END - len) {
                    throw new DmaFault(addr, len, "not granted");
                }
                return identity.translate(addr, len, write);
            }, w.features());
        } catch (VirtqueueException e) {
            throw new AssertionError(e);
        }

        Verdict actual;
        try {
            DescriptorChain c = q.pop();
            actual = new Verdict(bufs(c.readable().regions()), bufs(c.writable().regions()), null);
        } catch (VirtqueueException e) {
            actual = new Verdict(List.of(), List.of(), e.error());
            assertEquals(1, q.counters().errors(e.error()));
            assertEquals(e.error().breaksQueue(), q.isBroken());
        }
        assertEquals(model(w, tableEntries), actual);
        String outcome = actual.error() == null ? "accepted" : actual.error().name();
        Statistics.collect(outcome);
        Statistics.coverage(coverage -> {
            coverage.check("accepted").count(n -> n >= 100);
            for (VirtqueueError e : List.of(VirtqueueError.DESCRIPTOR_LOOP, VirtqueueError.NEXT_OUT_OF_RANGE,
                    VirtqueueError.CHAIN_TOO_MANY_BYTES, VirtqueueError.BAD_ADDRESS, VirtqueueError.NESTED_INDIRECT,
                    VirtqueueError.INDIRECT_WITH_NEXT, VirtqueueError.INDIRECT_BAD_LENGTH, VirtqueueError.INDIRECT_EMPTY,
                    VirtqueueError.INDIRECT_TOO_LONG, VirtqueueError.INDIRECT_NOT_NEGOTIATED,
                    VirtqueueError.READABLE_AFTER_WRITABLE, VirtqueueError.HEAD_OUT_OF_RANGE,
                    VirtqueueError.CHAIN_TOO_LONG)) {
                coverage.check(e.name()).count(n -> n >= 1);
            }
        });
    }

    private static List<Buf> bufs(List<GuestRegion> regions) {
        List<Buf> out = new ArrayList<>();
        for (GuestRegion r : regions) {
            out.add(new Buf(r.address(), r.length(), r.writable()));
        }
        return out;
    }

    // ---- the model: the spec's rules over plain Java data ----

    private static Verdict model(World w, Map<Long, Descriptor> tableEntries) {
        if (w.head() >= w.size()) {
            return fail(VirtqueueError.HEAD_OUT_OF_RANGE);
        }
        List<Buf> readable = new ArrayList<>();
        List<Buf> writable = new ArrayList<>();
        // current table: the direct one (a list) or an indirect one (address + entries)
        List<Descriptor> table = w.direct();
        boolean indirect = false;
        Set<Integer> seen = new HashSet<>();
        int i = w.head();
        int buffers = 0;
        long bytes = 0;
        boolean writableSeen = false;
        while (true) {
            if (!seen.add(i)) {
                return fail(VirtqueueError.DESCRIPTOR_LOOP);
            }
            Descriptor d = table.get(i);
            if ((d.flags() & Descriptor.F_INDIRECT) != 0) {
                if (!w.features().indirectDesc()) {
                    return fail(VirtqueueError.INDIRECT_NOT_NEGOTIATED);
                }
                if (indirect) {
                    return fail(VirtqueueError.NESTED_INDIRECT);
                }
                if ((d.flags() & Descriptor.F_NEXT) != 0) {
                    return fail(VirtqueueError.INDIRECT_WITH_NEXT);
                }
                if (d.len() % 16 != 0) {
                    return fail(VirtqueueError.INDIRECT_BAD_LENGTH);
                }
                if (d.len() == 0) {
                    return fail(VirtqueueError.INDIRECT_EMPTY);
                }
                if (d.len() / 16 > w.size()) {
                    return fail(VirtqueueError.INDIRECT_TOO_LONG);
                }
                if (!granted(d.addr(), d.len())) {
                    return fail(VirtqueueError.BAD_ADDRESS);
                }
                List<Descriptor> entries = new ArrayList<>();
                for (long e = 0; e < d.len() / 16; e++) {
                    entries.add(tableEntries.getOrDefault(d.addr() + 16 * e, new Descriptor(0, 0, 0, 0)));
                }
                table = entries;
                indirect = true;
                seen = new HashSet<>();
                i = 0;
                continue;
            }
            buffers++;
            if (buffers > w.size()) {
                return fail(VirtqueueError.CHAIN_TOO_LONG);
            }
            boolean write = (d.flags() & Descriptor.F_WRITE) != 0;
            if (!write && writableSeen && w.features().writableAfterReadable()) {
                return fail(VirtqueueError.READABLE_AFTER_WRITABLE);
            }
            writableSeen |= write; // a zero-length writable descriptor leaves no buffer but still counts
            bytes += d.len();
            if (bytes > 1L << 32) {
                return fail(VirtqueueError.CHAIN_TOO_MANY_BYTES);
            }
            if (d.len() > 0) {
                if (!granted(d.addr(), d.len())) {
                    return fail(VirtqueueError.BAD_ADDRESS);
                }
                (write ? writable : readable).add(new Buf(d.addr(), d.len(), write));
            }
            if ((d.flags() & Descriptor.F_NEXT) == 0) {
                return new Verdict(readable, writable, null);
            }
            if (d.next() >= table.size()) {
                return fail(VirtqueueError.NEXT_OUT_OF_RANGE);
            }
            i = d.next();
        }
    }

    private static boolean granted(long addr, long len) {
        return addr >= GRANTED_START && addr <= GRANTED_END - len;
    }

    private static Verdict fail(VirtqueueError e) {
        return new Verdict(List.of(), List.of(), e);
    }
}
