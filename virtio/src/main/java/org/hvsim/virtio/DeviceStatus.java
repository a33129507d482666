package org.hvsim.virtio;

import java.util.StringJoiner;

/** The bits of the device status field (VIRTIO 1.2 §2.1). Writing 0 resets the device. */
public final class DeviceStatus {

    public static final int ACKNOWLEDGE = 1;
    public static final int DRIVER = 2;
    public static final int DRIVER_OK = 4;
    public static final int FEATURES_OK = 8;
    public static final int DEVICE_NEEDS_RESET = 64;
    public static final int FAILED = 128;

    /** Every defined bit. */
    public static final int ALL = ACKNOWLEDGE | DRIVER | DRIVER_OK | FEATURES_OK | DEVICE_NEEDS_RESET | FAILED;

    private DeviceStatus() {
    }

    /** E.g. {@code ACKNOWLEDGE|DRIVER|FEATURES_OK}, or {@code 0}. */
    public static String toString(int status) {
        if (status == 0) {
            return "0";
        }
        StringJoiner j = new StringJoiner("|");
        String[] names = {"ACKNOWLEDGE", "DRIVER", "DRIVER_OK", "FEATURES_OK", "0x10", "0x20", "DEVICE_NEEDS_RESET",
                "FAILED"};
        for (int i = 0; i < 8; i++) {
            if ((status & (1 << i)) != 0) {
                j.add(names[i]);
            }
        }
        if ((status & ~0xff) != 0) {
            j.add("0x" + Integer.toHexString(status & ~0xff));
        }
        return j.toString();
    }
}
