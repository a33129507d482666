package org.hvsim.virtio.ring;

/** Flags of the used ring (device-written). */
public final class UsedFlags {

    /** VIRTQ_USED_F_NO_NOTIFY: the device needs no available-buffer notifications (ignored with EVENT_IDX). */
    public static final int NO_NOTIFY = 1;

    private UsedFlags() {
    }
}
