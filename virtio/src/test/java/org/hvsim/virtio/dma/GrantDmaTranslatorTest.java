package org.hvsim.virtio.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.virtio.ring.DescriptorChain;
import org.hvsim.virtio.ring.DeviceQueue;
import org.hvsim.virtio.ring.Descriptor;
import org.hvsim.virtio.ring.MockDriver;
import org.hvsim.virtio.ring.RingFeatures;
import org.hvsim.virtio.ring.VirtqueueError;
import org.hvsim.virtio.ring.VirtqueueException;
import org.junit.jupiter.api.Test;

/** Grant-based descriptor addresses through a device queue: granted pages work, anything else is refused. */
class GrantDmaTranslatorTest {

    /** Two consecutive refs, 20 and 21, granted read-write; ref 30 read-only. A fake of dom0's mapping cache. */
    private static final class FakeGrants implements GrantMappings {
        final SegmentGuestMemory backend = SegmentGuestMemory.allocate(3 * 4096);
        final Map<Integer, Long> pages = Map.of(20, 0L, 21, 4096L, 30, 8192L);

        @Override
        public GuestRegion map(int firstRef, int offset, long length, boolean write) throws DmaFault {
            long pagesNeeded = (offset + length + 4095) / 4096;
            for (int i = 0; i < pagesNeeded; i++) {
                Long base = pages.get(firstRef + i);
                if (base == null || (i > 0 && base != pages.get(firstRef) + 4096L * i)) {
                    throw new DmaFault(GrantDmaAddress.encode(firstRef + i, 0), length, "bad grant ref " + (firstRef + i));
                }
                if (write && firstRef + i == 30) {
                    throw new DmaFault(GrantDmaAddress.encode(30, 0), length, "grant 30 is read-only");
                }
            }
            return new GuestRegion(backend, pages.get(firstRef) + offset, length, write);
        }
    }

    private final MockDriver drv = new MockDriver(8);
    private final FakeGrants grants = new FakeGrants();
    private final DeviceQueue q;

    GrantDmaTranslatorTest() throws VirtqueueException {
        q = DeviceQueue.create(drv.memory(), drv.layout(), new GrantDmaTranslator(grants), new RingFeatures(false, true, true));
    }

    private VirtqueueError popError() {
        return assertThrows(VirtqueueException.class, q::pop).error();
    }

    @Test
    void aBufferAcrossTwoGrantedPagesIsOneRegion() throws Exception {
        drv.desc(0, GrantDmaAddress.encode(20, 4000), 200, Descriptor.F_WRITE, 0);
        drv.offer(0);
        DescriptorChain c = q.pop();
        assertEquals(List.of(new GuestRegion(grants.backend, 4000, 200, true)), c.writable().regions());
    }

    @Test
    void aBadGrantRefAGuestPhysicalAddressOrAWriteToAReadOnlyGrantIsRefused() {
        drv.desc(0, GrantDmaAddress.encode(22, 0), 16, 0, 0);
        drv.offer(0);
        assertEquals(VirtqueueError.BAD_ADDRESS, popError());
        drv.desc(0, GrantDmaAddress.encode(21, 4000), 200, 0, 0); // runs into ref 22
        drv.offer(0);
        assertEquals(VirtqueueError.BAD_ADDRESS, popError());
        drv.desc(0, drv.arenaStart(), 16, 0, 0); // a guest-physical address
        drv.offer(0);
        assertEquals(VirtqueueError.BAD_ADDRESS, popError());
        drv.desc(0, GrantDmaAddress.encode(30, 0), 16, Descriptor.F_WRITE, 0);
        drv.offer(0);
        assertEquals(VirtqueueError.BAD_ADDRESS, popError());
        assertEquals(4, q.counters().errors(VirtqueueError.BAD_ADDRESS));
    }

    @Test
    void anIndirectTableInAGrantedPage() throws Exception {
        new Descriptor(GrantDmaAddress.encode(20, 64), 8, 0, 0).write(grants.backend, 8192); // the table, in ref 30's page
        drv.desc(0, GrantDmaAddress.encode(30, 0), 16, Descriptor.F_INDIRECT, 0);
        drv.offer(0);
        DescriptorChain c = q.pop();
        assertEquals(List.of(new GuestRegion(grants.backend, 64, 8, false)), c.readable().regions());
    }

    @Test
    void refsPast2To32AreRefused() {
        GrantDmaTranslator t = new GrantDmaTranslator(grants);
        assertThrows(DmaFault.class, () -> t.translate(GrantDmaAddress.encode(-1, 4000), 200, false));
    }
}
