package org.hvsim.virtio;

/**
 * The device end of the status field and feature negotiation (VIRTIO 1.2 §2.1, §2.2, §3.1): what the device
 * offers, what the driver accepts, and the status the driver walks through
 * (0 → ACKNOWLEDGE → DRIVER → FEATURES_OK → DRIVER_OK). The device checks each write:
 * <ul>
 * <li>0 resets; FAILED is always taken (alone: other bits written with it are ignored); DEVICE_NEEDS_RESET is
 *     the device's bit, never the driver's;</li>
 * <li>a write that clears a bit, sets an undefined one, or skips a step is refused (status unchanged);</li>
 * <li>driver features are taken only between DRIVER and FEATURES_OK;</li>
 * <li>FEATURES_OK is set only if the accepted features are a subset of the offered ones, include
 *     VIRTIO_F_VERSION_1, and pass the device's own check; otherwise it stays clear, which the driver sees
 *     when it re-reads the status.</li>
 * </ul>
 * A device offers VIRTIO_F_VERSION_1 and no transport/ring bit this implementation lacks (RING_PACKED,
 * IN_ORDER, …). Refusals are counted and the last one is kept for logs.
 *
 * <p>Threads: the transport's threads (xenstore watch thread, device thread); state is guarded by the
 * object's lock; the {@link StatusListener} runs on the writing thread after the lock is released.
 */
public final class DeviceStatusRegister implements VirtioTransport {

    /** A device-specific check of the features a driver accepted (dependencies); null if acceptable. */
    @FunctionalInterface
    public interface FeatureCheck {
        String refusal(long accepted);
    }

    /** Told of every change of the status the driver made (not of refused writes), after it took effect. */
    @FunctionalInterface
    public interface StatusListener {
        void statusChanged(int before, int after);
    }

    private final long offered;
    private final FeatureCheck check;
    private volatile StatusListener listener = (before, after) -> { };
    private int status;
    private long driverFeatures;
    private long refusals;
    private String lastRefusal;

    public DeviceStatusRegister(long offered) {
        this(offered, accepted -> null);
    }

    public DeviceStatusRegister(long offered, FeatureCheck check) {
        if (!VirtioFeature.has(offered, VirtioFeature.VERSION_1)) {
            throw new IllegalArgumentException("a device must offer VIRTIO_F_VERSION_1");
        }
        long unsupported = offered & VirtioFeature.RING_RANGE & ~VirtioFeature.SUPPORTED_RING_FEATURES;
        if (unsupported != 0) {
            throw new IllegalArgumentException("unsupported ring feature " + VirtioFeature.name(Long.numberOfTrailingZeros(unsupported)));
        }
        this.offered = offered;
        this.check = check;
    }

    @Override
    public long deviceFeatures() {
        return offered;
    }

    @Override
    public synchronized int readStatus() {
        return status;
    }

    /** The driver's accepted features; the negotiated set once FEATURES_OK is set. */
    public synchronized long driverFeatures() {
        return driverFeatures;
    }

    /** The negotiated features, or 0 before FEATURES_OK. */
    public synchronized long negotiatedFeatures() {
        return (status & DeviceStatus.FEATURES_OK) != 0 ? driverFeatures : 0;
    }

    public synchronized boolean isDriverOk() {
        return (status & (DeviceStatus.DRIVER_OK | DeviceStatus.FAILED | DeviceStatus.DEVICE_NEEDS_RESET))
                == DeviceStatus.DRIVER_OK;
    }

    @Override
    public synchronized void writeDriverFeatures(long features) {
        if ((status & DeviceStatus.DRIVER) == 0 || (status & DeviceStatus.FEATURES_OK) != 0) {
            refuse("driver features written in status " + DeviceStatus.toString(status));
            return;
        }
        driverFeatures = features;
    }

    /** The device's reaction to status changes (start queues on DRIVER_OK, stop them on reset). */
    public void setListener(StatusListener listener) {
        this.listener = listener;
    }

    @Override
    public void writeStatus(int written) {
        int before;
        int after;
        synchronized (this) {
            before = status;
            apply(written);
            after = status;
        }
        if (before != after) {
            listener.statusChanged(before, after);
        }
    }

    private void apply(int written) {
        if (written == 0) {
            status = 0;
            driverFeatures = 0;
            return;
        }
        int value = written & ~DeviceStatus.DEVICE_NEEDS_RESET;
        if ((value & ~DeviceStatus.ALL) != 0) {
            refuse("undefined status bits in 0x" + Integer.toHexString(written));
            return;
        }
        if ((value & DeviceStatus.FAILED) != 0) {
            status |= DeviceStatus.FAILED; // the driver gives up; nothing else it wrote with it counts
            return;
        }
        int kept = status & DeviceStatus.DEVICE_NEEDS_RESET;
        int current = status & ~DeviceStatus.DEVICE_NEEDS_RESET;
        if ((current & ~value) != 0) {
            refuse("status " + DeviceStatus.toString(written) + " clears bits of " + DeviceStatus.toString(current));
            return;
        }
        String order = orderViolation(value);
        if (order != null) {
            refuse(order);
            return;
        }
        int added = value & ~current;
        if ((added & DeviceStatus.FEATURES_OK) != 0) {
            String why = featureRefusal(driverFeatures);
            if (why != null) {
                refuse(why);
                value &= ~(DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK); // DRIVER_OK needs FEATURES_OK
            }
        }
        status = value | kept;
    }

    /** The device entered an error state that needs a reset (e.g. a broken virtqueue): sets DEVICE_NEEDS_RESET. */
    public synchronized void setNeedsReset() {
        status |= DeviceStatus.DEVICE_NEEDS_RESET;
    }

    public synchronized long refusals() {
        return refusals;
    }

    /** Why the last driver write was refused, or null. */
    public synchronized String lastRefusal() {
        return lastRefusal;
    }

    private static String orderViolation(int value) {
        if ((value & DeviceStatus.DRIVER) != 0 && (value & DeviceStatus.ACKNOWLEDGE) == 0) {
            return "DRIVER without ACKNOWLEDGE";
        }
        if ((value & DeviceStatus.FEATURES_OK) != 0 && (value & DeviceStatus.DRIVER) == 0) {
            return "FEATURES_OK without DRIVER";
        }
        if ((value & DeviceStatus.DRIVER_OK) != 0 && (value & DeviceStatus.FEATURES_OK) == 0) {
            return "DRIVER_OK without FEATURES_OK";
        }
        return null;
    }

    private String featureRefusal(long accepted) {
        long notOffered = accepted & ~offered;
        if (notOffered != 0) {
            return "driver accepted " + VirtioFeature.name(Long.numberOfTrailingZeros(notOffered)) + ", not offered";
        }
        if (!VirtioFeature.has(accepted, VirtioFeature.VERSION_1)) {
            return "driver did not accept VIRTIO_F_VERSION_1";
        }
        return check.refusal(accepted);
    }

    private void refuse(String why) {
        refusals++;
        lastRefusal = why;
    }
}
