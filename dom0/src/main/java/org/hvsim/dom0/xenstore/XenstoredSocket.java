package org.hvsim.dom0.xenstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a host's xenstored listens: {@code <home>/xenstored/socket} (Xen's {@code XENSTORED_RUNDIR/socket}),
 * in a directory only the host's user may enter; {@code hvsim xenstore-path} prints it for
 * {@code XENSTORED_PATH}.
 */
public final class XenstoredSocket {
    public static final String DIRECTORY = "xenstored";
    public static final String NAME = "socket";

    private XenstoredSocket() {}

    /** The socket path of the host whose state directory is {@code home}. */
    public static Path of(Path home) {
        return home.resolve(DIRECTORY).resolve(NAME);
    }

    /** Creates the socket's directory (mode 0700, tightened if it exists) and returns the socket path. */
    public static Path create(Path home) throws IOException {
        Path dir = home.resolve(DIRECTORY);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir.resolve(NAME);
    }
}
