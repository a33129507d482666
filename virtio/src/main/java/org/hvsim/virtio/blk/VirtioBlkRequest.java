package org.hvsim.virtio.blk;

import java.util.List;
import org.hvsim.virtio.dma.RegionList;

/**
 * A well-formed request, ready for a backend: its type, first sector, data buffers (device-writable for IN and
 * GET_ID, device-readable for OUT; empty otherwise), the one-byte status buffer, and for DISCARD and
 * WRITE_ZEROES the segments, already read and checked.
 */
public record VirtioBlkRequest(int head, int type, long sector, RegionList data, RegionList status,
        List<VirtioBlkSegment> segments) {

    /** Data bytes. */
    public long dataLength() {
        return data.length();
    }

    /**
     * The used length to report once the device wrote {@code status}: the data it wrote into (IN and GET_ID
     * answered OK) plus the status byte.
     */
    public long usedLength(int statusValue) {
        boolean wroteData = statusValue == VirtioBlkStatus.OK
                && (type == VirtioBlkRequestType.IN || type == VirtioBlkRequestType.GET_ID);
        return (wroteData ? data.length() : 0) + 1;
    }

    /** Writes the status byte. */
    public void complete(int statusValue) {
        status.putByte(0, (byte) statusValue);
    }
}
