package org.hvsim.virtio.ring;

/**
 * The VIRTIO_F_EVENT_IDX rule ({@code vring_need_event} of the spec's virtio_queue.h): after moving an index
 * from {@code oldIdx} to {@code newIdx}, notify iff the other side's event index lies in
 * {@code [oldIdx, newIdx)}, all in 16-bit arithmetic, so it holds across wrap-around.
 */
public final class VringEvent {

    private VringEvent() {
    }

    public static boolean needEvent(int eventIdx, int newIdx, int oldIdx) {
        return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    }
}
