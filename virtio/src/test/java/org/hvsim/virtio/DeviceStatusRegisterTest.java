package org.hvsim.virtio;

import static org.hvsim.virtio.DeviceStatus.ACKNOWLEDGE;
import static org.hvsim.virtio.DeviceStatus.DEVICE_NEEDS_RESET;
import static org.hvsim.virtio.DeviceStatus.DRIVER;
import static org.hvsim.virtio.DeviceStatus.DRIVER_OK;
import static org.hvsim.virtio.DeviceStatus.FAILED;
import static org.hvsim.virtio.DeviceStatus.FEATURES_OK;
import static org.hvsim.virtio.VirtioFeature.mask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The device's checks of the driver's status and feature writes, and the driver's sequence against them. */
class DeviceStatusRegisterTest {

    private static final long OFFERED = mask(VirtioFeature.VERSION_1) | mask(VirtioFeature.EVENT_IDX)
            | mask(VirtioFeature.INDIRECT_DESC) | mask(VirtioFeature.ACCESS_PLATFORM) | mask(5) | mask(9);

    @Test
    void theDriverSequenceNegotiatesTheWantedSubset() throws Exception {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED);
        long got = DriverNegotiation.negotiate(dev, mask(VirtioFeature.EVENT_IDX) | mask(9) | mask(12)
                | mask(VirtioFeature.RING_PACKED));
        assertEquals(mask(VirtioFeature.VERSION_1) | mask(VirtioFeature.EVENT_IDX) | mask(9), got,
                "VERSION_1 always, bit 12 not offered, RING_PACKED never");
        assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK, dev.readStatus());
        assertEquals(got, dev.negotiatedFeatures());
        assertFalse(dev.isDriverOk());
        DriverNegotiation.driverOk(dev);
        assertTrue(dev.isDriverOk());
        assertEquals(0, dev.refusals());
    }

    @Test
    void featuresTheDeviceDidNotOfferKeepFeaturesOkClear() {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED);
        dev.writeStatus(ACKNOWLEDGE);
        dev.writeStatus(ACKNOWLEDGE | DRIVER);
        dev.writeDriverFeatures(mask(VirtioFeature.VERSION_1) | mask(12));
        dev.writeStatus(ACKNOWLEDGE | DRIVER | FEATURES_OK);
        assertEquals(ACKNOWLEDGE | DRIVER, dev.readStatus(), "the driver re-reads and sees FEATURES_OK clear");
        assertTrue(dev.lastRefusal().contains("bit 12"), dev.lastRefusal());
        assertEquals(0, dev.negotiatedFeatures());
    }

    @Test
    void refusedFeaturesAlsoKeepDriverOkClearWhenBothComeInOneWrite() {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED);
        dev.writeStatus(ACKNOWLEDGE | DRIVER);
        dev.writeDriverFeatures(mask(12));
        dev.writeStatus(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        assertEquals(ACKNOWLEDGE | DRIVER, dev.readStatus());
    }

    @Test
    void failedIsTakenAloneAndCannotSmuggleInFeaturesOk() {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED);
        dev.writeStatus(ACKNOWLEDGE | DRIVER);
        dev.writeDriverFeatures(OFFERED | mask(40));
        dev.writeStatus(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK | FAILED);
        assertEquals(ACKNOWLEDGE | DRIVER | FAILED, dev.readStatus());
        assertEquals(0, dev.negotiatedFeatures());
        dev.writeStatus(FAILED); // a driver may write FAILED alone
        assertEquals(ACKNOWLEDGE | DRIVER | FAILED, dev.readStatus());
    }

    @Test
    void aDriverWithoutVersion1IsRefused() {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED);
        dev.writeStatus(ACKNOWLEDGE | DRIVER);
        dev.writeDriverFeatures(mask(VirtioFeature.EVENT_IDX));
        dev.writeStatus(ACKNOWLEDGE | DRIVER | FEATURES_OK);
        assertEquals(ACKNOWLEDGE | DRIVER, dev.readStatus());
        assertTrue(dev.lastRefusal().contains("VERSION_1"));
    }

    @Test
    void theDevicesOwnCheckCanRefuseACombination() {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED,
                f -> VirtioFeature.has(f, 5) && !VirtioFeature.has(f, 9) ? "bit 5 needs bit 9" : null);
        FeatureNegotiationException e = assertThrows(FeatureNegotiationException.class,
                () -> DriverNegotiation.negotiate(dev, mask(5)));
        assertTrue(e.getMessage().contains("refused"));
        assertEquals(ACKNOWLEDGE | DRIVER | FAILED, dev.readStatus(), "the driver gave up");
    }

    @Test
    void outOfOrderAndClearingWritesAreRefused() {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED);
        dev.writeStatus(DRIVER);
        assertEquals(0, dev.readStatus());
        dev.writeStatus(ACKNOWLEDGE | DRIVER | DRIVER_OK);
        assertEquals(0, dev.readStatus());
        dev.writeStatus(ACKNOWLEDGE | DRIVER);
        dev.writeStatus(ACKNOWLEDGE);
        assertEquals(ACKNOWLEDGE | DRIVER, dev.readStatus(), "a driver may not clear a bit");
        dev.writeStatus(ACKNOWLEDGE | DRIVER | 0x10);
        assertEquals(ACKNOWLEDGE | DRIVER, dev.readStatus());
        dev.writeDriverFeatures(mask(VirtioFeature.VERSION_1));
        dev.writeStatus(ACKNOWLEDGE | DRIVER | FEATURES_OK);
        dev.writeDriverFeatures(OFFERED);
        assertEquals(mask(VirtioFeature.VERSION_1), dev.negotiatedFeatures(), "features are fixed after FEATURES_OK");
        assertEquals(5, dev.refusals());
    }

    @Test
    void deviceNeedsResetStaysUntilTheDriverResets() {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED);
        dev.writeStatus(ACKNOWLEDGE | DRIVER);
        dev.writeDriverFeatures(mask(VirtioFeature.VERSION_1));
        dev.writeStatus(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        dev.setNeedsReset();
        assertFalse(dev.isDriverOk());
        dev.writeStatus(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK | DEVICE_NEEDS_RESET, dev.readStatus());
        dev.writeStatus(0);
        assertEquals(0, dev.readStatus());
        assertEquals(0, dev.driverFeatures());
    }

    @Test
    void aDeviceMustOfferVersion1AndNoUnsupportedRingFeature() {
        assertThrows(IllegalArgumentException.class, () -> new DeviceStatusRegister(mask(VirtioFeature.EVENT_IDX)));
        assertThrows(IllegalArgumentException.class,
                () -> new DeviceStatusRegister(mask(VirtioFeature.VERSION_1) | mask(VirtioFeature.RING_PACKED)));
    }

    @Test
    void aLegacyOnlyDeviceFailsNegotiation() {
        VirtioTransport legacy = new VirtioTransport() {
            int status;

            @Override public long deviceFeatures() { return mask(VirtioFeature.EVENT_IDX); }
            @Override public void writeDriverFeatures(long features) { }
            @Override public int readStatus() { return status; }
            @Override public void writeStatus(int s) { status = s; }
        };
        assertThrows(FeatureNegotiationException.class, () -> DriverNegotiation.negotiate(legacy, -1L));
        assertEquals(ACKNOWLEDGE | DRIVER | FAILED, legacy.readStatus());
    }

    @Test
    void theListenerSeesEveryChangeButNotRefusedWrites() throws Exception {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED);
        List<String> changes = new java.util.ArrayList<>();
        dev.setListener((before, after) -> changes.add(DeviceStatus.toString(before) + ">" + DeviceStatus.toString(after)));
        DriverNegotiation.negotiate(dev, 0);
        dev.writeStatus(DRIVER); // refused
        DriverNegotiation.driverOk(dev);
        dev.writeStatus(0);
        assertEquals(List.of("0>ACKNOWLEDGE", "ACKNOWLEDGE>ACKNOWLEDGE|DRIVER",
                "ACKNOWLEDGE|DRIVER>ACKNOWLEDGE|DRIVER|FEATURES_OK",
                "ACKNOWLEDGE|DRIVER|FEATURES_OK>ACKNOWLEDGE|DRIVER|DRIVER_OK|FEATURES_OK",
                "ACKNOWLEDGE|DRIVER|DRIVER_OK|FEATURES_OK>0"), changes);
    }

    @Test
    void statusPrintsItsBitNames() {
        assertEquals("ACKNOWLEDGE|DRIVER|FEATURES_OK", DeviceStatus.toString(ACKNOWLEDGE | DRIVER | FEATURES_OK));
        assertEquals("0", DeviceStatus.toString(0));
    }

    // ---- whatever a driver writes, the device's state stays one the spec allows ----

    sealed interface Write {
        record Status(int value) implements Write {
        }

        record Features(long value) implements Write {
        }
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        Arbitrary<Write> status = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(0, ACKNOWLEDGE, ACKNOWLEDGE | DRIVER,
                        ACKNOWLEDGE | DRIVER | FEATURES_OK, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK, FAILED,
                        ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK | FAILED, DeviceStatus.ALL)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers())).map(Write.Status::new);
        Arbitrary<Write> features = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.of(OFFERED, mask(VirtioFeature.VERSION_1), OFFERED | mask(40))),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs())).map(Write.Features::new);
        return Arbitraries.oneOf(status, features).list().ofMaxSize(30);
    }

    @Property
    void anyWriteSequenceKeepsTheInvariants(@ForAll("writes") List<Write> writes) {
        DeviceStatusRegister dev = new DeviceStatusRegister(OFFERED);
        for (Write w : writes) {
            switch (w) {
                case Write.Status s -> dev.writeStatus(s.value());
                case Write.Features f -> dev.writeDriverFeatures(f.value());
            }
            int st = dev.readStatus();
            assertEquals(0, st & ~DeviceStatus.ALL, "only defined bits");
            if ((st & FAILED) == 0) {
                assertTrue((st & DRIVER_OK) == 0 || (st & FEATURES_OK) != 0, "DRIVER_OK implies FEATURES_OK");
                assertTrue((st & FEATURES_OK) == 0 || (st & DRIVER) != 0, "FEATURES_OK implies DRIVER");
                assertTrue((st & DRIVER) == 0 || (st & ACKNOWLEDGE) != 0, "DRIVER implies ACKNOWLEDGE");
            }
            long negotiated = dev.negotiatedFeatures();
            assertEquals(0, negotiated & ~OFFERED, "negotiated features were offered");
            assertTrue(negotiated == 0 || VirtioFeature.has(negotiated, VirtioFeature.VERSION_1));
        }
    }
}
