package org.hvsim.domu.virtioblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hvsim.domu.blk.BlockRequest;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.xenbus.XenbusRig;
import org.hvsim.hv.abi.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each {@link HostileCase} against a stand-in backend that answers bad input as dom0's does (the virtio module's
 * DeviceQueue and request parser over the same memory): the frontend sees the spec's answer, the backend counts
 * it, and the device still serves a good read unless the ring broke; the queue's own bookkeeping (slots,
 * descriptors) is whole again afterwards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileFrontTest {
    private static final int PAGES = 4096;
    private static final int DISK = 1 << 20;

    private final XenbusRig rig = new XenbusRig(PAGES);
    private final RigPlatform platform = new RigPlatform(rig, PAGES);
    private final StandInBackend backend = new StandInBackend(rig, platform, DISK);
    private final VbdBus bus = new VbdBus(rig.client, platform);
    private final PerCpu cpu = rig.cpu();

    @AfterEach
    void close() throws InterruptedException {
        backend.close();
        rig.close();
    }

    private VirtioBlkFront connected(boolean readOnly) {
        backend.answerBadInput = true;
        backend.layOut(readOnly).start();
        bus.start(cpu);
        idleUntil(() -> bus.find("xvda").map(VirtioBlkFront::connected).orElse(false), "the connection");
        return bus.find("xvda").orElseThrow();
    }

    private void idleUntil(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what + "; reports " + platform.reports
                        + ", backend problems " + backend.problems);
            }
            platform.waitForEvent(cpu, done, 0);
        }
    }

    private GuestBuffer prepared(VirtioBlkFront f, int pages) {
        long[] addrs = new long[pages];
        for (int i = 0; i < pages; i++) {
            addrs[i] = Page.addressOf(platform.allocateZeroedFrame(cpu));
        }
        GuestBuffer b = new GuestBuffer(rig.memory(), addrs, pages * Page.SIZE);
        f.prepare(cpu, b);
        return b;
    }

    private long deadline() {
        return cpu.now() + TimeUnit.SECONDS.toNanos(10);
    }

    @ParameterizedTest
    @EnumSource(HostileCase.class)
    void eachCaseGetsTheSpecsAnswerAndTheDeviceCarriesOnUnlessTheRingBroke(HostileCase c) {
        VirtioBlkFront f = connected(c.needsReadOnlyDisk());
        GuestBuffer scratch = prepared(f, HostileFront.SCRATCH_PAGES);
        GuestBuffer good = prepared(f, 1);
        byte[] disk = backend.disk;
        for (int i = 0; i < Page.SIZE; i++) {
            disk[i] = (byte) (i * 7 + 1);
        }
        HostileFront hostile = new HostileFront(f);
        HostileAnswer a = hostile.inject(cpu, c, scratch, deadline());
        assertEquals(c.expected(), a.kind(), c + ": " + a + "; backend problems " + backend.problems);
        switch (c.expected()) {
            case UNUSED -> {
                assertEquals(0, a.usedLen());
                assertEquals(1, backend.badChains.get());
            }
            case IOERR -> {
                assertEquals(c == HostileCase.RO_DATA || c == HostileCase.RO_WRITE ? 1 : 0, a.usedLen(),
                        "1 when the status is the only device-writable byte, else 0 (the spec's underestimate)");
                assertEquals(1, backend.rejected.get());
            }
            case DEVICE_NEEDS_RESET -> assertTrue(a.detail().contains("available idx moved"), a.detail());
            default -> throw new AssertionError(c.expected());
        }
        VirtioBlkQueue q = f.queue().orElseThrow();
        if (c.breaksRing()) {
            assertTrue(f.failure().orElseThrow().startsWith("device needs reset: "), f.failure().toString());
            assertEquals(BlockRequest.Status.PENDING, hostile.goodRead(cpu, good, deadline()), "not taken");
        } else {
            assertEquals(0, q.inFlight(), "the hostile chain's slot is free again");
            assertEquals(BlockRequest.Status.OK, hostile.goodRead(cpu, good, deadline()));
            byte[] back = new byte[Page.SIZE];
            good.read(0, back, 0, back.length);
            for (int i = 0; i < Page.SIZE; i++) {
                assertEquals((byte) (i * 7 + 1), back[i], "byte " + i);
            }
        }
        assertEquals(List.of(), backend.problems);
    }

    @Test
    void aLongChainAfterwardsLeavesTheWholeQueueToNormalRequests() {
        VirtioBlkFront f = connected(false);
        GuestBuffer scratch = prepared(f, HostileFront.SCRATCH_PAGES);
        HostileFront hostile = new HostileFront(f);
        for (HostileCase c : List.of(HostileCase.LONG_CHAIN, HostileCase.LOOP, HostileCase.LONG_CHAIN)) {
            assertEquals(HostileAnswer.Kind.UNUSED, hostile.inject(cpu, c, scratch, deadline()).kind(), c.text());
        }
        assertEquals(3, backend.badChains.get());
        // Every descriptor is free again: a second long chain fits the whole table, and a full queue of reads runs.
        List<BlockRequest> rs = new java.util.ArrayList<>();
        for (int i = 0; i < f.queueDepth(); i++) {
            rs.add(new BlockRequest(prepared(f, 1)).reset(BlockRequest.Op.READ, 0, 512));
        }
        for (BlockRequest r : rs) {
            assertTrue(f.submit(r));
        }
        f.kick(cpu);
        idleUntil(() -> {
            f.reap(r -> { });
            return rs.stream().allMatch(r -> r.status() == BlockRequest.Status.OK);
        }, "a full queue of reads");
    }
}
