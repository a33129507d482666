package org.hvsim.domu.virtioblk;

/**
 * What the backend did with one piece of bad input, as the frontend saw it.
 *
 * @param kind    the answer
 * @param usedLen the used element's length, for a chain the device returned (else -1)
 * @param detail  the backend's {@code virtio-error} for DEVICE_NEEDS_RESET, the status byte for another status,
 *                why there was none for NONE; else empty
 */
public record HostileAnswer(Kind kind, long usedLen, String detail) {
    /** The answers a device can give, and none. */
    public enum Kind {
        /** The chain came back in the used ring with length 0 and no status: the ring refused it. */
        UNUSED("unused"),
        OK("OK"),
        IOERR("IOERR"),
        UNSUPP("UNSUPP"),
        /** The chain came back with a status byte that is none of the spec's. */
        BAD_STATUS("bad-status"),
        /** The chain came back with a length but no status written. */
        NO_STATUS("no-status"),
        DEVICE_NEEDS_RESET("DEVICE_NEEDS_RESET"),
        /** No answer by the deadline, or the device closed. */
        NONE("none");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** Its name in the workload's JSON result. */
        public String text() {
            return text;
        }
    }

    /** The answer as the console line shows it. */
    public String describe() {
        return switch (kind) {
            case UNUSED -> "returned unused (used len " + usedLen + ")";
            case OK, IOERR, UNSUPP -> kind.text() + " (used len " + usedLen + ")";
            case BAD_STATUS -> "status " + detail + " (used len " + usedLen + ")";
            case NO_STATUS -> "no status written (used len " + usedLen + ")";
            case DEVICE_NEEDS_RESET -> "DEVICE_NEEDS_RESET (virtio-error: " + detail + ")";
            case NONE -> "no answer: " + detail;
        };
    }
}
