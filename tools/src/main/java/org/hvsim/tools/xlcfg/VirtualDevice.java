package org.hvsim.tools.xlcfg;

import java.util.Optional;

/**
 * Virtual disk names and the xenstore device numbers they stand for (xen-vbd-interface(7), as libxl's
 * {@code libxl__device_disk_dev_number} computes them):
 *
 * <pre>
 *   xvd, disk and partition up to 15   202 &lt;&lt; 8 | disk &lt;&lt; 4 | partition     xvda = 51712
 *   xvd, disk 16+ or partition 16+      1 &lt;&lt; 28 | disk &lt;&lt; 8 | partition     (disk &lt; 2^20, partition &lt; 256)
 *   sd,  disk 0..15, partition 0..15    8 &lt;&lt; 8 | disk &lt;&lt; 4 | partition
 *   hd,  disk 0..1, partition 0..63     3 &lt;&lt; 8 | disk &lt;&lt; 6 | partition
 *   hd,  disk 2..3, partition 0..63     22 &lt;&lt; 8 | (disk - 2) &lt;&lt; 6 | partition
 * </pre>
 *
 * Disk letters count like spreadsheet columns ({@code a}..{@code z}, {@code aa}, ...), partitions are
 * decimal without leading zeros. {@code d<N>} and {@code d<N>p<M>} name xvd disks by number, and a
 * bare number (decimal, {@code 0}-octal or {@code 0x}-hex, up to 2^31-1) is taken as the device number
 * itself. Stateless.
 */
public final class VirtualDevice {
    private static final int XVD_MAX_DISK = (1 << 20) - 1;
    private static final int XVD_MAX_PARTITION = 255;

    private VirtualDevice() {
    }

    /** The device number {@code vdev} stands for, or -1 if it is not a valid virtual disk name. */
    public static int number(String vdev) {
        int[] dp = numberedDisk(vdev);
        if (dp == null) {
            dp = lettered(vdev, "xvd", XVD_MAX_DISK, XVD_MAX_PARTITION);
        }
        if (dp != null) {
            return xvd(dp[0], dp[1]);
        }
        if (!vdev.isEmpty() && Character.isDigit(vdev.charAt(0))) {
            XlNumbers.Result raw = XlNumbers.strtol(vdev);
            return raw.ok() && raw.value() >= 0 && raw.value() <= Integer.MAX_VALUE ? (int) raw.value() : -1;
        }
        dp = lettered(vdev, "hd", 3, 63);
        if (dp != null) {
            return ((dp[0] < 2 ? 3 : 22) << 8) | ((dp[0] & 1) << 6) | dp[1];
        }
        dp = lettered(vdev, "sd", 15, 15);
        if (dp != null) {
            return (8 << 8) | (dp[0] << 4) | dp[1];
        }
        return -1;
    }

    /** The canonical name of a device number of one of the forms above, if it is one. */
    public static Optional<String> name(int number) {
        if (number < 0) {
            return Optional.empty();
        }
        if (number >>> 28 == 1) {
            return Optional.of(name("xvd", (number >>> 8) & XVD_MAX_DISK, number & 0xff));
        }
        if (number >>> 16 != 0) {
            return Optional.empty();
        }
        int major = number >>> 8;
        return switch (major) {
            case 202 -> Optional.of(name("xvd", (number >>> 4) & 0xf, number & 0xf));
            case 8 -> Optional.of(name("sd", (number >>> 4) & 0xf, number & 0xf));
            case 3 -> Optional.of(name("hd", (number >>> 6) & 1, number & 0x3f));
            case 22 -> Optional.of(name("hd", 2 + ((number >>> 6) & 1), number & 0x3f));
            default -> Optional.empty();
        };
    }

    private static int xvd(int disk, int partition) {
        if (disk <= 15 && partition <= 15) {
            return (202 << 8) | (disk << 4) | partition;
        }
        return (1 << 28) | (disk << 8) | partition;
    }

    private static String name(String prefix, int disk, int partition) {
        StringBuilder letters = new StringBuilder();
        int n = disk;
        while (true) {
            letters.append((char) ('a' + n % 26));
            if (n < 26) {
                break;
            }
            n = n / 26 - 1;
        }
        return prefix + letters.reverse() + (partition == 0 ? "" : Integer.toString(partition));
    }

    /** {@code d<N>} or {@code d<N>p<M>}, decimal; {disk, partition} or null. */
    private static int[] numberedDisk(String vdev) {
        if (!vdev.startsWith("d")) {
            return null;
        }
        int p = vdev.indexOf('p');
        String disk = p < 0 ? vdev.substring(1) : vdev.substring(1, p);
        String partition = p < 0 ? "0" : vdev.substring(p + 1);
        long d = decimal(disk);
        long q = decimal(partition);
        if (d < 0 || q < 0 || d > XVD_MAX_DISK || q > XVD_MAX_PARTITION) {
            return null;
        }
        return new int[] {(int) d, (int) q};
    }

    /** {@code <prefix><letters>[<partition>]}; {disk, partition} or null. */
    private static int[] lettered(String vdev, String prefix, int maxDisk, int maxPartition) {
        if (!vdev.startsWith(prefix)) {
            return null;
        }
        int i = prefix.length();
        long disk = -1;
        while (i < vdev.length() && vdev.charAt(i) >= 'a' && vdev.charAt(i) <= 'z') {
            disk = (disk + 1) * 26 + (vdev.charAt(i) - 'a');
            if (disk > maxDisk) {
                return null;
            }
            i++;
        }
        if (disk < 0) {
            return null;
        }
        if (i == vdev.length()) {
            return new int[] {(int) disk, 0};
        }
        if (vdev.charAt(i) == '0') {
            return null;
        }
        long partition = decimal(vdev.substring(i));
        if (partition < 0 || partition > maxPartition) {
            return null;
        }
        return new int[] {(int) disk, (int) partition};
    }

    private static long decimal(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }
}
