package org.hvsim.virtio.ring;

import org.hvsim.virtio.VirtioFeature;

/**
 * The negotiated features a queue obeys, and the device's own strictness.
 *
 * @param eventIdx               VIRTIO_F_EVENT_IDX: suppress notifications with used_event / avail_event
 * @param indirectDesc           VIRTIO_F_INDIRECT_DESC: chains may refer to indirect tables
 * @param writableAfterReadable  the device requires device-readable descriptors before device-writable ones
 *                               (a driver MUST order them so; a device may insist)
 */
public record RingFeatures(boolean eventIdx, boolean indirectDesc, boolean writableAfterReadable) {

    /** The ring features among {@code negotiated} feature bits, with the order rule enforced. */
    public static RingFeatures of(long negotiated) {
        return new RingFeatures(VirtioFeature.has(negotiated, VirtioFeature.EVENT_IDX),
                VirtioFeature.has(negotiated, VirtioFeature.INDIRECT_DESC), true);
    }
}
