package org.hvsim.domu.blkbench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * blkbench's self-describing data ({@code verify=crc32c}): every 512-byte sector says where it belongs
 * and which write put it there, and carries a CRC32C of itself, so a reader (this job, a later job, or a
 * check of the image from the host) can tell a sector that is whole and in its place from one that is
 * torn, stale, misplaced or never written. Layout, little-endian:
 * <pre>
 *   0  u32 magic "hvbk" (0x6b627668)
 *   4  u64 sector number (512-byte units from the disk's start)
 *  12  u64 generation (which write: 1, 2, ...)
 *  20  u32 crc32c of the sector with this field as zero
 *  24  488 bytes of data from a generator seeded by sector and generation
 * </pre>
 *
 * <p>Threads: any; it has no state.
 */
public final class VerifyPattern {
    public static final int SECTOR = 512;
    public static final int MAGIC = 0x6b627668;
    private static final int CRC_AT = 20;
    private static final int DATA_AT = 24;

    private VerifyPattern() {}

    /** Fills {@code length} bytes of {@code out} (whole sectors) for the disk's sectors from {@code firstSector}. */
    public static void fill(byte[] out, int length, long firstSector, long generation) {
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int s = 0; s < length / SECTOR; s++) {
            int at = s * SECTOR;
            long sector = firstSector + s;
            b.putInt(at, MAGIC).putLong(at + 4, sector).putLong(at + 12, generation).putInt(at + CRC_AT, 0);
            long x = mix(sector * 0x9E3779B97F4A7C15L ^ generation);
            for (int i = DATA_AT; i < SECTOR; i += 8) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                b.putLong(at + i, x);
            }
            b.putInt(at + CRC_AT, crc(out, at));
        }
    }

    /**
     * Checks {@code length} bytes of {@code data} (whole sectors) read from sector {@code firstSector}: each
     * sector must be whole (its CRC32C), in its place (its sector number) and, when {@code generations}
     * gives one for it (non-zero), from that write. Returns null when all are, or what the first bad one is.
     *
     * @param generations the generation expected of each sector in order, or null for "any"
     */
    public static String check(byte[] data, int length, long firstSector, long[] generations) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int s = 0; s < length / SECTOR; s++) {
            int at = s * SECTOR;
            long sector = firstSector + s;
            if (b.getInt(at) != MAGIC) {
                return "sector " + sector + ": no blkbench header (never written with verify=crc32c?)";
            }
            int stored = b.getInt(at + CRC_AT);
            b.putInt(at + CRC_AT, 0);
            int actual = crc(data, at);
            b.putInt(at + CRC_AT, stored);
            if (stored != actual) {
                return "sector " + sector + ": crc32c " + Integer.toHexString(actual) + " where the sector says "
                        + Integer.toHexString(stored) + " (torn or corrupted)";
            }
            if (b.getLong(at + 4) != sector) {
                return "sector " + sector + ": holds sector " + b.getLong(at + 4) + "'s data (misplaced)";
            }
            long want = generations == null ? 0 : generations[s];
            if (want != 0 && b.getLong(at + 12) != want) {
                return "sector " + sector + ": from write " + b.getLong(at + 12) + ", expected write " + want
                        + " (stale or lost)";
            }
        }
        return null;
    }

    /** The generation sector {@code s} of {@code data} carries (after a successful {@link #check}). */
    public static long generation(byte[] data, int s) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong(s * SECTOR + 12);
    }

    private static int crc(byte[] data, int at) {
        CRC32C c = new CRC32C();
        c.update(data, at, SECTOR);
        return (int) c.getValue();
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31) | 1;
    }
}
