package org.hvsim.hv.abi;

/** {@code CONSOLEIO_*} commands of {@code console_io} ({@code public/xen.h}). */
public final class ConsoleIo {
    public static final int WRITE = 0;
    public static final int READ = 1;

    /** Bytes the hypervisor copies from one {@code CONSOLEIO_write}; longer writes are truncated. */
    public static final int MAX_WRITE = 4096;

    private ConsoleIo() {}
}
