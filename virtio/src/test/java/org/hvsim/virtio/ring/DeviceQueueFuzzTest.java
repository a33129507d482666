package org.hvsim.virtio.ring;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.hvsim.virtio.dma.DmaFault;
import org.hvsim.virtio.dma.GuestRegion;
import org.hvsim.virtio.dma.IdentityDmaTranslator;
import org.hvsim.virtio.dma.RegionList;

/**
 * Replays a random sequence of driver operations (raw descriptors, indirect tables, well-formed chains, heads,
 * available-idx jumps, flags and event indices) against a device queue that pops, fills and returns what it
 * can. Findings: any exception but {@link VirtqueueException}; a device access outside the ring and the granted
 * buffer arena, or a device write outside the used ring and the arena (checked by {@link GuardedMemory});
 * a pop that does more than a queue-size-bounded amount of work. In a normal build the seeds under
 * {@code DeviceQueueFuzzTestInputs/replay} run as regression tests; {@code JAZZER_FUZZ=1} fuzzes.
 */
class DeviceQueueFuzzTest {

    private static final long MEMORY = 0x10000;

    @FuzzTest(maxDuration = "30s")
    void replay(FuzzedDataProvider data) {
        int size = 1 << data.consumeInt(0, 4);
        RingFeatures features = new RingFeatures(data.consumeBoolean(), data.consumeBoolean(), data.consumeBoolean());
        MockDriver drv = new MockDriver(size, MEMORY);
        VirtqueueLayout l = drv.layout();
        long arena = drv.arenaStart();
        GuardedMemory.Range descTable = new GuardedMemory.Range(l.descTable(), l.descTable() + VirtqueueLayout.descTableBytes(size));
        GuardedMemory.Range avail = new GuardedMemory.Range(l.availRing(), l.availRing() + VirtqueueLayout.availRingBytes(size));
        GuardedMemory.Range used = new GuardedMemory.Range(l.usedRing(), l.usedRing() + VirtqueueLayout.usedRingBytes(size));
        GuardedMemory.Range granted = new GuardedMemory.Range(arena, MEMORY);
        GuardedMemory guarded = new GuardedMemory(drv.memory(), List.of(descTable, avail), List.of(used, granted));
        IdentityDmaTranslator identity = new IdentityDmaTranslator(guarded);
        DeviceQueue device;
        try {
            device = DeviceQueue.create(guarded, l, (addr, len, write) -> {
                if (!granted.holds(addr, len)) {
                    throw new DmaFault(addr, len, "not granted");
                }
                return identity.translate(addr, len, write);
            }, features);
        } catch (VirtqueueException e) {
            throw new AssertionError(e);
        }
        List<Long> tables = new ArrayList<>();
        long popBound = 32 + 8L * (2L * size + 2);

        for (int op = 0; op < 256 && data.remainingBytes() > 0; op++) {
            try {
                switch (data.consumeInt(0, 8)) {
                    case 0 -> drv.desc(data.consumeInt(0, size - 1), address(data, arena, tables),
                            data.consumeLong(0, 0xffff_ffffL), data.consumeInt(0, 0xffff), data.consumeInt(0, 0xffff));
                    case 1 -> drv.offer(data.consumeInt(0, size + 1));
                    case 2 -> drv.setAvailIdx(data.consumeBoolean() ? drv.availIdx() + data.consumeInt(0, size + 2)
                            : data.consumeInt(0, 0xffff));
                    case 3 -> {
                        int n = data.consumeInt(0, size + 2);
                        List<Descriptor> entries = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            entries.add(new Descriptor(address(data, arena, tables), data.consumeLong(0, 0x2000),
                                    data.consumeInt(0, 7), data.consumeInt(0, size + 2)));
                        }
                        if (tables.size() < 8) {
                            tables.add(drv.indirectTable(entries));
                        }
                    }
                    case 4 -> {
                        int n = data.consumeInt(1, size);
                        int[] idx = new int[n];
                        for (int i = 0; i < n; i++) {
                            idx[i] = data.consumeInt(0, size - 1);
                        }
                        int readable = data.consumeInt(0, n);
                        List<DriverBuffer> r = new ArrayList<>();
                        List<DriverBuffer> w = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            DriverBuffer b = new DriverBuffer(arena + data.consumeInt(0, 0x1000), data.consumeInt(0, 512));
                            (i < readable ? r : w).add(b);
                        }
                        drv.offer(drv.chain(idx, r, w));
                    }
                    case 5 -> {
                        long before = guarded.accesses();
                        DescriptorChain c;
                        try {
                            c = device.pop();
                        } finally {
                            if (guarded.accesses() - before > popBound) {
                                throw new AssertionError("pop did " + (guarded.accesses() - before) + " accesses");
                            }
                        }
                        if (c != null) {
                            serve(c);
                            device.addUsed(c.head(), c.writable().length());
                        }
                    }
                    case 6 -> {
                        device.needsNotification();
                        if (data.consumeBoolean()) {
                            device.enableNotification();
                        } else {
                            device.disableNotification();
                        }
                    }
                    case 7 -> drv.setAvailFlags(data.consumeInt(0, 0xffff));
                    default -> drv.setUsedEvent(data.consumeInt(0, 0xffff));
                }
            } catch (VirtqueueException e) {
                if (!e.breaksQueue() && e.head() >= 0) {
                    try {
                        device.addUsed(e.head(), 0);
                    } catch (VirtqueueException again) {
                        throw new AssertionError("a per-chain error left the queue unusable", again);
                    }
                } else if (!device.isBroken()) {
                    throw new AssertionError("a queue-breaking error did not break the queue", e);
                }
            }
        }
    }

    /** Any address: in the arena, a table written earlier, or anything at all. */
    private static long address(FuzzedDataProvider data, long arena, List<Long> tables) {
        return switch (data.consumeInt(0, 2)) {
            case 0 -> arena + data.consumeInt(0, (int) (MEMORY - arena));
            case 1 -> tables.isEmpty() ? arena : tables.get(data.consumeInt(0, tables.size() - 1));
            default -> data.consumeLong();
        };
    }

    /** What a device does with a chain: reads every readable byte, fills every writable one. */
    private static void serve(DescriptorChain c) {
        read(c.readable());
        for (GuestRegion r : c.writable().regions()) {
            r.memory().fill(r.address(), r.length(), (byte) 0x5a);
        }
    }

    private static void read(RegionList l) {
        for (GuestRegion r : l.regions()) {
            r.memory().read(r.address(), new byte[(int) r.length()], 0, (int) r.length());
        }
    }
}
