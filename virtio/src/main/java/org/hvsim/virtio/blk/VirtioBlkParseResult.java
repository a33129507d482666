package org.hvsim.virtio.blk;

import org.hvsim.virtio.dma.RegionList;

/** What the request parser made of a chain. */
public sealed interface VirtioBlkParseResult {

    /** A well-formed request for the backend. */
    record Accepted(VirtioBlkRequest request) implements VirtioBlkParseResult {
    }

    /**
     * A request the device answers at once with {@code status} (IOERR or UNSUPP) written to {@code statusByte},
     * returning the chain with {@code usedLength} (1 if the status byte is the only device-writable byte,
     * else 0: the spec lets the used length underestimate, never overstate).
     */
    record Rejected(int head, int status, RegionList statusByte, long usedLength, String reason)
            implements VirtioBlkParseResult {

        public void complete() {
            statusByte.putByte(0, (byte) status);
        }
    }

    /** A chain without a device-writable last byte: there is nowhere to put a status; return it with length 0. */
    record Unanswerable(int head, String reason) implements VirtioBlkParseResult {
    }
}
