package org.hvsim.domu.blk;

import java.util.Objects;

/**
 * One request to a {@link BlockDevice}: what to do, where on the disk, and the guest buffer (none for a
 * flush). The device sets {@link #status} before it hands the request back. A workload reuses its
 * requests: {@link #reset} makes one ready for its next submission.
 *
 * <p>Threads: the workload's vCPU, and the device while it holds the request.
 */
public final class BlockRequest {
    /** What a request does (virtio-blk's request types). */
    public enum Op { READ, WRITE, FLUSH }

    /** How a request ended (virtio-blk's status byte: OK 0, IOERR 1, UNSUPP 2). */
    public enum Status { PENDING, OK, IOERR, UNSUPP }

    private final GuestBuffer buffer;
    private Op op;
    private long offset;
    private int length;
    private volatile Status status = Status.PENDING;
    /** When it was submitted (the workload's clock), for its latency. */
    public long submittedNs;
    /** Free for the workload's own use (e.g. the generation a write carries). */
    public long tag;

    public BlockRequest(GuestBuffer buffer) {
        this.buffer = buffer;
    }

    /** Makes it a request to {@code op} {@code length} bytes at {@code offset} (both multiples of 512). */
    public BlockRequest reset(Op newOp, long newOffset, int newLength) {
        this.op = Objects.requireNonNull(newOp, "op");
        if (newOp != Op.FLUSH && (newOffset < 0 || newOffset % 512 != 0 || newLength <= 0 || newLength % 512 != 0
                || newLength > buffer.length())) {
            throw new IllegalArgumentException(newOp + " of " + newLength + " bytes at " + newOffset
                    + " with a buffer of " + buffer.length());
        }
        this.offset = newOp == Op.FLUSH ? 0 : newOffset;
        this.length = newOp == Op.FLUSH ? 0 : newLength;
        this.status = Status.PENDING;
        return this;
    }

    public Op op() {
        return op;
    }

    public long offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public GuestBuffer buffer() {
        return buffer;
    }

    public Status status() {
        return status;
    }

    /** The device's verdict. */
    public void complete(Status s) {
        this.status = Objects.requireNonNull(s, "status");
    }
}
