package org.hvsim.hv.privcmd;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The socket file of a privcmd server. The socket is bound inside a fresh directory only its owner
 * can enter, made mode 0600 there, and only then renamed to its final path, so nobody else can ever
 * connect to it. A stale socket file left at the final path by a server that died is replaced; a
 * file that is not a socket, or a socket something still listens on, is not touched.
 * Threads: whoever starts and closes the server.
 */
final class PrivcmdSocketFile {
    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

    private final Path path;
    private final Path bindDirectory;
    private Object fileKey;

    private PrivcmdSocketFile(Path path, Path bindDirectory) {
        this.path = path;
        this.bindDirectory = bindDirectory;
    }

    /**
     * Prepares to create the socket at {@code path}: removes a stale socket there and creates the
     * private directory to bind in.
     */
    static PrivcmdSocketFile prepare(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path parent = Objects.requireNonNull(absolute.getParent(), "socket path has no parent");
        removeStale(absolute);
        Path bindDirectory = createBindDirectory(parent);
        PrivcmdSocketFile file = new PrivcmdSocketFile(absolute, bindDirectory);
        for (Path p : new Path[] {absolute, file.bindPath()}) {
            int bytes = p.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_SOCKET_PATH_BYTES) {
                Files.deleteIfExists(bindDirectory);
                throw new IOException("privcmd socket path " + p + " has " + bytes
                        + " bytes; a Unix socket path has at most " + MAX_SOCKET_PATH_BYTES);
            }
        }
        return file;
    }

    /** Where the socket is bound before it gets its final name. */
    Path bindPath() {
        return bindDirectory.resolve("s");
    }

    /** The socket's final path. */
    Path path() {
        return path;
    }

    /** After the socket is bound at {@link #bindPath()}: makes it 0600 and moves it to its path. */
    void publish() throws IOException {
        Path bound = bindPath();
        Files.setPosixFilePermissions(bound, OWNER_RW);
        Files.move(bound, path, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(bindDirectory);
        fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** Deletes the bind directory and the socket file, if the file at the path is still ours. */
    void delete() throws IOException {
        Files.deleteIfExists(bindPath());
        Files.deleteIfExists(bindDirectory);
        if (fileKey == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Object current = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        if (fileKey.equals(current)) {
            Files.delete(path);
        }
    }

    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(path.toString(), null,
                    "exists and is not a socket; refusing to replace it with the privcmd socket");
        }
        if (listening(path)) {
            throw new IOException("privcmd socket " + path + " is in use by a running server");
        }
        Files.delete(path);
    }

    private static boolean listening(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException refused) {
            return false;
        }
    }

    private static Path createBindDirectory(Path parent) throws IOException {
        HexFormat hex = HexFormat.of();
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve(".privcmd-" + hex.toHexDigits(ThreadLocalRandom.current().nextInt()));
            try {
                return Files.createDirectory(candidate, PosixFilePermissions.asFileAttribute(OWNER_RWX));
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 16) {
                    throw taken;
                }
            }
        }
    }
}
