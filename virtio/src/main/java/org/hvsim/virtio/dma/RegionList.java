package org.hvsim.virtio.dma;

import java.util.ArrayList;
import java.util.List;

/**
 * A sequence of regions read or written as one run of bytes: the device-readable (or device-writable)
 * part of a descriptor chain, however the driver cut it into descriptors. Immutable.
 */
public final class RegionList {

    private static final RegionList EMPTY = new RegionList(List.of());

    private final List<GuestRegion> regions;
    private final long length;

    private RegionList(List<GuestRegion> regions) {
        this.regions = regions;
        long total = 0;
        for (GuestRegion r : regions) {
            total += r.length();
        }
        this.length = total;
    }

    public static RegionList of(List<GuestRegion> regions) {
        return regions.isEmpty() ? EMPTY : new RegionList(List.copyOf(regions));
    }

    public static RegionList empty() {
        return EMPTY;
    }

    public List<GuestRegion> regions() {
        return regions;
    }

    /** Total bytes. */
    public long length() {
        return length;
    }

    /** Bytes {@code [offset, offset+len)} of the run, as regions. */
    public RegionList slice(long offset, long len) {
        if (offset < 0 || len < 0 || offset > length - len) {
            throw new IndexOutOfBoundsException("[" + offset + ", +" + len + ") outside " + length + " bytes");
        }
        List<GuestRegion> out = new ArrayList<>();
        long pos = 0;
        for (GuestRegion r : regions) {
            if (len == 0) {
                break;
            }
            long end = pos + r.length();
            if (offset < end) {
                long from = offset - pos;
                long n = Math.min(r.length() - from, len);
                out.add(r.slice(from, n));
                offset += n;
                len -= n;
            }
            pos = end;
        }
        return of(out);
    }

    public void read(long offset, byte[] dst, int dstOffset, int len) {
        int done = 0;
        for (GuestRegion r : slice(offset, len).regions) {
            r.read(0, dst, dstOffset + done, (int) r.length());
            done += (int) r.length();
        }
    }

    public byte[] readBytes(long offset, int len) {
        byte[] b = new byte[len];
        read(offset, b, 0, len);
        return b;
    }

    public void write(long offset, byte[] src, int srcOffset, int len) {
        int done = 0;
        for (GuestRegion r : slice(offset, len).regions) {
            r.write(0, src, srcOffset + done, (int) r.length());
            done += (int) r.length();
        }
    }

    public void putByte(long offset, byte value) {
        slice(offset, 1).regions.getFirst().putByte(0, value);
    }
}
