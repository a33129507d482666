package org.hvsim.domu.virtioblk;

/**
 * What the device did with a {@link RawChain}: set when the queue reaps its used element.
 *
 * <p>Threads: set by the vCPU reaping (under the queue's monitor), read by the workload's vCPU (in practice the
 * same one); volatile fields, {@link #isUsed} written last.
 */
final class RawRequest {
    /** The status byte before the device writes one (none of VIRTIO_BLK_S_*). */
    static final int STATUS_UNSET = 0xff;

    private volatile long usedLen;
    private volatile int status = STATUS_UNSET;
    private volatile boolean used;

    void used(long len, int statusByte) {
        usedLen = len;
        status = statusByte;
        used = true;
    }

    /** Whether the device returned the chain to the used ring. */
    boolean isUsed() {
        return used;
    }

    /** The used element's length (bytes the device says it wrote to the chain). */
    long usedLen() {
        return usedLen;
    }

    /** The slot's status byte once used: {@link #STATUS_UNSET} if the device wrote none. */
    int status() {
        return status;
    }
}
