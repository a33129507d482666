package org.hvsim.domu.blkbench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** fio's {@code rw=}: what a job does and in which order. */
public enum Rw {
    READ(true, false, false),
    WRITE(false, true, false),
    RANDREAD(true, false, true),
    RANDWRITE(false, true, true),
    RANDRW(true, true, true);

    private final boolean reads;
    private final boolean writes;
    private final boolean random;

    Rw(boolean reads, boolean writes, boolean random) {
        this.reads = reads;
        this.writes = writes;
        this.random = random;
    }

    public boolean reads() {
        return reads;
    }

    public boolean writes() {
        return writes;
    }

    public boolean random() {
        return random;
    }

    /** Its name on the command line. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Rw> of(String text) {
        return Arrays.stream(values()).filter(r -> r.text().equals(text)).findFirst();
    }
}
