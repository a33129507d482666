package org.hvsim.virtio.ring;

/**
 * What a driver (or, for the last two, a device) got wrong in a virtqueue. An error that
 * {@link #breaksQueue() breaks the queue} leaves it unusable until the driver resets the device (the device
 * sets DEVICE_NEEDS_RESET); any other error spoils one chain, which the device returns unused (length 0).
 */
public enum VirtqueueError {
    /** The queue's size or addresses break the spec's rules. */
    BAD_LAYOUT(true, "bad queue layout"),
    /** Available idx moved by more than the queue size since the device last looked. */
    AVAIL_IDX_JUMP(true, "available idx moved by more than the queue size"),
    /** A head index in the available ring is not below the queue size. */
    HEAD_OUT_OF_RANGE(true, "chain head index out of range"),
    /** An earlier error broke the queue; it needs a reset. */
    QUEUE_BROKEN(true, "queue is broken and needs a device reset"),
    NEXT_OUT_OF_RANGE(false, "next index out of range of its table"),
    DESCRIPTOR_LOOP(false, "descriptor chain loops"),
    CHAIN_TOO_LONG(false, "chain has more descriptors than the queue size"),
    CHAIN_TOO_MANY_BYTES(false, "chain is longer than 2^32 bytes"),
    INDIRECT_NOT_NEGOTIATED(false, "indirect descriptor without VIRTIO_F_INDIRECT_DESC"),
    INDIRECT_WITH_NEXT(false, "descriptor has both INDIRECT and NEXT"),
    NESTED_INDIRECT(false, "INDIRECT inside an indirect table"),
    INDIRECT_BAD_LENGTH(false, "indirect table length not a multiple of 16"),
    INDIRECT_EMPTY(false, "indirect table is empty"),
    INDIRECT_TOO_LONG(false, "indirect table has more entries than the queue size"),
    READABLE_AFTER_WRITABLE(false, "device-readable descriptor after a device-writable one"),
    BAD_ADDRESS(false, "buffer or indirect table outside memory the device may access"),
    /** Driver side: the device returned an id that is not a chain in flight. */
    USED_ID_INVALID(true, "used ring names a chain that is not in flight"),
    /** Driver side: used idx moved by more than the chains in flight. */
    USED_IDX_JUMP(true, "used idx moved by more than the chains in flight");

    private final boolean breaksQueue;
    private final String description;

    VirtqueueError(boolean breaksQueue, String description) {
        this.breaksQueue = breaksQueue;
        this.description = description;
    }

    public boolean breaksQueue() {
        return breaksQueue;
    }

    public String description() {
        return description;
    }
}
