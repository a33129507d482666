package org.hvsim.domu.virtioblk;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One kind of bad input a frontend can give a virtio-blk backend (issue 4's list), and what the VIRTIO spec has
 * the device answer: a chain the ring refuses is returned unused (used length 0, no status written), a request
 * the device cannot carry out is answered IOERR, and a broken ring sets DEVICE_NEEDS_RESET.
 */
public enum HostileCase {
    /** A chain whose last descriptor has NEXT back to its head. */
    LOOP("loop", HostileAnswer.Kind.UNUSED),
    /** More buffers than the queue has entries: queue-size - 1 direct descriptors and an indirect table of four. */
    LONG_CHAIN("long-chain", HostileAnswer.Kind.UNUSED),
    /** A data buffer at a grant ref the guest never granted (beyond any grant table). */
    BAD_REF("bad-ref", HostileAnswer.Kind.UNUSED),
    /** A data buffer at a guest-physical address, not a grant address (bit 63 clear): outside granted memory. */
    OUTSIDE_GRANT("outside-grant", HostileAnswer.Kind.UNUSED),
    /** The available idx published more than a queue size ahead of the device. */
    AVAIL_JUMP("avail-jump", HostileAnswer.Kind.DEVICE_NEEDS_RESET),
    /** A read whose header is device-writable (the spec has it device-readable). */
    WRITABLE_HEADER("writable-header", HostileAnswer.Kind.IOERR),
    /** A read whose data buffer is device-readable (the spec has it device-writable). */
    RO_DATA("ro-data", HostileAnswer.Kind.IOERR),
    /** A 1 KiB read at the disk's last sector: half of it past the end. */
    PAST_END("past-end", HostileAnswer.Kind.IOERR),
    /** A write to a read-only disk (attached with access=ro). */
    RO_WRITE("ro-write", HostileAnswer.Kind.IOERR);

    private final String text;
    private final HostileAnswer.Kind expected;

    HostileCase(String text, HostileAnswer.Kind expected) {
        this.text = text;
        this.expected = expected;
    }

    /** Its name on a command line ({@code case=loop}). */
    public String text() {
        return text;
    }

    /** The spec's answer to it. */
    public HostileAnswer.Kind expected() {
        return expected;
    }

    /** Whether the spec's answer leaves the ring unusable until a device reset (no request after it). */
    public boolean breaksRing() {
        return expected == HostileAnswer.Kind.DEVICE_NEEDS_RESET;
    }

    /** Whether it needs a read-only disk. */
    public boolean needsReadOnlyDisk() {
        return this == RO_WRITE;
    }

    /** The case named {@code text}, if any. */
    public static Optional<HostileCase> parse(String text) {
        return Arrays.stream(values()).filter(c -> c.text.equals(text)).findFirst();
    }

    /** Every case's name, comma-separated, in order. */
    public static String names() {
        return Arrays.stream(values()).map(HostileCase::text).collect(Collectors.joining(", "));
    }
}
