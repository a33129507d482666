package org.hvsim.virtio.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.virtio.dma.IdentityDmaTranslator;

/**
 * No lost wake-ups: a driver and a device that sleep whenever the other side's suppression lets them (re-arming
 * with enableInterrupts / enableNotification and looking again, as the spec's note describes) never sleep on
 * work. Any interleaving of their steps, with or without EVENT_IDX, from fresh indices or from just before the
 * 16-bit wrap: whenever the device sleeps nothing is available to it, whenever the driver sleeps nothing used
 * waits for it, and every chain comes back once, in order.
 */
class NotificationPropertyTest {

    /** A step: who moves, and how many chains at most. */
    record Step(boolean driver, int count) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.integers().between(1, 6).flatMap(n -> Arbitraries.of(true, false)
                .map(d -> new Step(d, n))).list().ofMaxSize(120);
    }

    @Property(tries = 400)
    void nobodySleepsOnWork(@ForAll("steps") List<Step> steps, @ForAll boolean eventIdx,
            @ForAll @IntRange(min = 0, max = 3) int sizeLog, @ForAll @IntRange(min = 0, max = 9) int wrapChoice)
            throws VirtqueueException {
        SegmentGuestMemory mem = SegmentGuestMemory.allocate(1 << 16);
        VirtqueueLayout l = VirtqueueLayout.contiguous(1 << sizeLog, 0x1000);
        DriverQueue driver = DriverQueue.create(mem, l, eventIdx);
        DeviceQueue device = DeviceQueue.create(mem, l, new IdentityDmaTranslator(mem), new RingFeatures(eventIdx, true, true));
        DriverBuffer buf = new DriverBuffer(0x8000, 4);
        if (wrapChoice == 0) { // one try in ten starts a few chains before both indices wrap
            for (int i = 0; i < 65536 - 3; i++) {
                driver.add(List.of(buf), List.of());
                driver.publish();
                device.addUsed(device.pop().head(), 0);
                driver.reclaim();
            }
        }
        boolean deviceAwake = !device.enableNotification() ? false : true;
        boolean driverAwake = driver.enableInterrupts();
        ArrayDeque<Integer> inFlight = new ArrayDeque<>();
        for (Step s : steps) {
            if (s.driver()) {
                // submit up to count chains, then reap whatever is used if awake, then maybe sleep
                for (int i = 0; i < s.count(); i++) {
                    int head = driver.add(List.of(buf), List.of());
                    if (head < 0) {
                        break;
                    }
                    inFlight.add(head);
                }
                driver.publish();
                deviceAwake |= driver.kickNeeded();
                if (driverAwake) {
                    for (UsedElement u = driver.reclaim(); u != null; u = driver.reclaim()) {
                        assertEquals(inFlight.poll(), u.id());
                    }
                    driverAwake = driver.enableInterrupts();
                }
            } else if (deviceAwake) {
                device.disableNotification();
                for (int i = 0; i < s.count(); i++) {
                    DescriptorChain c = device.pop();
                    if (c == null) {
                        break;
                    }
                    device.addUsed(c.head(), 0);
                }
                driverAwake |= device.needsNotification();
                if (device.available() == 0) {
                    deviceAwake = device.enableNotification();
                }
            }
            if (!deviceAwake) {
                assertEquals(0, device.available(), "the device sleeps with chains available");
            }
            if (!driverAwake) {
                assertEquals(0, (device.nextUsed() - (driver.availIdx() - driver.inFlight())) & 0xffff,
                        "the driver sleeps with used chains waiting");
            }
        }
        // drain: whoever is woken works until nobody is
        for (int round = 0; round < 4; round++) {
            if (deviceAwake) {
                for (DescriptorChain c = device.pop(); c != null; c = device.pop()) {
                    device.addUsed(c.head(), 0);
                }
                driverAwake |= device.needsNotification();
                deviceAwake = device.enableNotification();
            }
            if (driverAwake) {
                for (UsedElement u = driver.reclaim(); u != null; u = driver.reclaim()) {
                    assertEquals(inFlight.poll(), u.id());
                }
                driverAwake = driver.enableInterrupts();
            }
        }
        assertTrue(inFlight.isEmpty(), inFlight.size() + " chains never came back");
        assertNull(driver.reclaim());
    }
}
