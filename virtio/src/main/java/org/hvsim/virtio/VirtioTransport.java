package org.hvsim.virtio;

/**
 * The driver's view of a device's status and features, whatever carries them: registers (virtio-mmio), a
 * PCI capability, or xenstore nodes (the xenbus transport). {@link DeviceStatusRegister} is the device end
 * and, in process, a transport itself.
 */
public interface VirtioTransport {

    /** The features the device offers. */
    long deviceFeatures();

    /** Writes the features the driver accepts (before FEATURES_OK). */
    void writeDriverFeatures(long features);

    /** Reads the device status field. */
    int readStatus();

    /** Writes the device status field; 0 resets the device. */
    void writeStatus(int status);
}
