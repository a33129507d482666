package org.hvsim.dom0.blkback;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * What a disk's {@code target} (xl-disk-configuration(5)) names for hvsim's block backend: a raw image
 * file, or {@code null:<size>} (a device of {@code size} bytes that stores nothing). The size takes a
 * binary suffix {@code k}, {@code m}, {@code g} or {@code t} (case ignored), or is in bytes; it must be a
 * positive multiple of 512 and at most 2^62 bytes.
 */
public sealed interface ImageTarget {
    String NULL_PREFIX = "null:";
    long SECTOR = 512;
    long MAX_BYTES = 1L << 62;

    /** A raw image file. */
    record File(Path path) implements ImageTarget {}

    /** A device of {@code bytes} that stores nothing. */
    record Null(long bytes) implements ImageTarget {}

    /**
     * Reads a target.
     *
     * @throws IllegalArgumentException with the reason, for an empty target, a bad {@code null:} size or
     *         text that cannot be a path (a NUL byte)
     */
    static ImageTarget parse(String target) {
        if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("the disk has no target (an empty drive has no image to serve)");
        }
        if (!target.startsWith(NULL_PREFIX)) {
            try {
                return new File(Path.of(target));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("target " + target + " is not a path: " + e.getReason());
            }
        }
        String size = target.substring(NULL_PREFIX.length());
        long bytes = bytes(size);
        if (bytes <= 0 || bytes % SECTOR != 0) {
            throw new IllegalArgumentException("null device size " + size + " is not a positive multiple of 512 bytes");
        }
        return new Null(bytes);
    }

    private static long bytes(String size) {
        if (size.isEmpty()) {
            throw new IllegalArgumentException("null device without a size (e.g. null:1G)");
        }
        int shift = switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? size : size.substring(0, size.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 19) {
            throw new IllegalArgumentException("null device size " + size
                    + " is not a number of bytes with an optional k, m, g or t");
        }
        long n = Long.parseLong(digits);
        if (n > MAX_BYTES >>> shift) {
            throw new IllegalArgumentException("null device size " + size + " is larger than 2^62 bytes");
        }
        return n << shift;
    }
}
