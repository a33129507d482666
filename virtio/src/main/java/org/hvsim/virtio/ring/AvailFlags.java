package org.hvsim.virtio.ring;

/** Flags of the available ring (driver-written). */
public final class AvailFlags {

    /** VIRTQ_AVAIL_F_NO_INTERRUPT: the driver needs no used-buffer notifications (ignored with EVENT_IDX). */
    public static final int NO_INTERRUPT = 1;

    private AvailFlags() {
    }
}
