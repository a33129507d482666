package org.hvsim.virtio.ring;

/**
 * A virtqueue error: what is wrong ({@link #error()}), the head of the chain it spoilt (or -1 when it is not
 * one chain's fault), and the details. The one checked exception the ring code throws for bad guest input.
 */
public final class VirtqueueException extends Exception {
    private static final long serialVersionUID = 1L;

    private final VirtqueueError error;
    private final int head;

    public VirtqueueException(VirtqueueError error, int head, String detail) {
        this(error, head, detail, null);
    }

    public VirtqueueException(VirtqueueError error, int head, String detail, Throwable cause) {
        super(error.description() + (head >= 0 ? " (chain " + head + ")" : "") + ": " + detail, cause, false, false);
        this.error = error;
        this.head = head;
    }

    public VirtqueueError error() {
        return error;
    }

    /** The head of the chain the error spoilt, which the device should return unused; -1 if none. */
    public int head() {
        return head;
    }

    public boolean breaksQueue() {
        return error.breaksQueue();
    }
}
