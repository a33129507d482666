package org.hvsim.virtio;

/**
 * The driver's side of device initialisation (VIRTIO 1.2 §3.1.1) over any {@link VirtioTransport}: reset,
 * ACKNOWLEDGE, DRIVER, read the offered features, accept the wanted subset (always VIRTIO_F_VERSION_1, never a
 * ring feature this implementation lacks), set FEATURES_OK and re-read the status to see that the device kept
 * it. Device-specific setup (queues, config) comes next, then {@link #driverOk}. On failure the driver sets
 * FAILED.
 */
public final class DriverNegotiation {

    private DriverNegotiation() {
    }

    /** Negotiates; returns the features both sides now use. */
    public static long negotiate(VirtioTransport transport, long wanted) throws FeatureNegotiationException {
        transport.writeStatus(0);
        if (transport.readStatus() != 0) {
            throw new FeatureNegotiationException("device did not reset: status "
                    + DeviceStatus.toString(transport.readStatus()));
        }
        transport.writeStatus(DeviceStatus.ACKNOWLEDGE);
        transport.writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        long offered = transport.deviceFeatures();
        if (!VirtioFeature.has(offered, VirtioFeature.VERSION_1)) {
            fail(transport);
            throw new FeatureNegotiationException("device does not offer VIRTIO_F_VERSION_1 (legacy only)");
        }
        long usable = ~VirtioFeature.RING_RANGE | VirtioFeature.SUPPORTED_RING_FEATURES;
        long accepted = offered & (wanted | VirtioFeature.mask(VirtioFeature.VERSION_1)) & usable;
        transport.writeDriverFeatures(accepted);
        transport.writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        if ((transport.readStatus() & DeviceStatus.FEATURES_OK) == 0) {
            fail(transport);
            throw new FeatureNegotiationException(String.format("device refused features 0x%x", accepted));
        }
        return accepted;
    }

    /** After device-specific setup: DRIVER_OK. */
    public static void driverOk(VirtioTransport transport) {
        transport.writeStatus(transport.readStatus() | DeviceStatus.DRIVER_OK);
    }

    /** Gives up on the device: FAILED. */
    public static void fail(VirtioTransport transport) {
        transport.writeStatus(transport.readStatus() | DeviceStatus.FAILED);
    }
}
