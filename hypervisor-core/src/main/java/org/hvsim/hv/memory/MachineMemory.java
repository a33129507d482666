package org.hvsim.hv.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.hvsim.hv.abi.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated machine's RAM: one sparse file (by default under {@code /dev/shm}) mapped whole, shared
 * with dom0, which maps the same file. Frames are 4 KiB, numbered by MFN from the start of the file.
 * Frames never written read as zero and cost no host memory; {@link #scrub} gives frames back to the
 * file system, which zero-fills them for the next reader.
 *
 * <p>Threads: any. The mapping is immutable after creation; {@link #close} must come after every user.
 */
public final class MachineMemory implements AutoCloseable {
    /** Where the hypervisor puts the machine memory file unless told otherwise. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");

    /** The largest machine this class maps: MFNs must fit the P2M's 31-bit entries (8 TiB). */
    public static final long MAX_FRAMES = 1L << 31;

    private static final Logger LOG = LoggerFactory.getLogger(MachineMemory.class);
    private static final int MADV_REMOVE = 9;
    private static final Madvise MADVISE = Madvise.lookup();

    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final boolean owner;
    private volatile boolean closed;
    private volatile boolean madviseFailed;

    private MachineMemory(Path path, Arena arena, MemorySegment segment, boolean owner) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
        this.owner = owner;
    }

    /**
     * Creates {@code file} (it must not exist) as a sparse file of {@code bytes}, a positive multiple of
     * 4 KiB, and maps it. Refuses when the file system has less usable space than {@code bytes}: running
     * out of tmpfs while writing through a mapping is a SIGBUS, not an error one can handle.
     */
    public static MachineMemory create(Path file, long bytes) throws IOException {
        if (bytes <= 0 || (bytes & Page.MASK) != 0 || bytes / Page.SIZE > MAX_FRAMES) {
            throw new IllegalArgumentException("machine memory must be a positive multiple of 4 KiB up to "
                    + MAX_FRAMES + " frames, not " + bytes + " bytes");
        }
        Path directory = file.toAbsolutePath().getParent();
        long usable = Files.getFileStore(directory).getUsableSpace();
        if (usable < bytes) {
            throw new IOException(String.format(
                    "cannot create %d MiB of machine memory in %s: the file system has only %d MiB usable",
                    bytes >> 20, directory, usable >> 20));
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        Arena arena = Arena.ofShared();
        try (channel) {
            // Mapping beyond the end extends the file with ftruncate: sparse, nothing written.
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            return new MachineMemory(file, arena, segment, true);
        } catch (IOException | RuntimeException e) {
            arena.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Maps an existing machine memory file (as dom0 does); {@link #close} leaves the file in place. */
    public static MachineMemory open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long bytes = channel.size();
            if (bytes <= 0 || (bytes & Page.MASK) != 0) {
                throw new IOException(file + " is " + bytes + " bytes, not a whole number of 4 KiB frames");
            }
            return new MachineMemory(file, arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena), false);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public long frames() {
        return segment.byteSize() >>> Page.SHIFT;
    }

    /** The whole mapping; machine address = offset. */
    public MemorySegment segment() {
        return segment;
    }

    /** The 4 KiB slice of frame {@code mfn}. */
    public MemorySegment frame(long mfn) {
        Objects.checkIndex(mfn, frames());
        return segment.asSlice(mfn << Page.SHIFT, Page.SIZE);
    }

    /**
     * Zero-fills {@code count} frames from {@code mfn} by punching them out of the file
     * ({@code madvise(MADV_REMOVE)}): the host gets the memory back and the next reader sees zeros, in
     * this process and in every other mapping of the file. Falls back to writing zeros where the file
     * system cannot punch holes.
     */
    public void scrub(long mfn, long count) {
        Objects.checkFromIndexSize(mfn, count, frames());
        if (count == 0) {
            return;
        }
        MemorySegment range = segment.asSlice(mfn << Page.SHIFT, count << Page.SHIFT);
        if (!madviseFailed) {
            int errno = MADVISE.remove(range);
            if (errno == 0) {
                return;
            }
            madviseFailed = true;
            LOG.warn("madvise(MADV_REMOVE) on {} failed with errno {}; scrubbing by writing zeros from now on",
                    path, errno);
        }
        range.fill((byte) 0);
    }

    /** Unmaps the file, and deletes it if this instance created it. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
        if (owner) {
            Files.deleteIfExists(path);
        }
    }

    /** {@code int madvise(void *addr, size_t length, int advice)} from libc, with errno captured. */
    private record Madvise(MethodHandle handle, MemoryLayout callState, VarHandle errno) {
        static Madvise lookup() {
            Linker linker = Linker.nativeLinker();
            Linker.Option ccs = Linker.Option.captureCallState("errno");
            MethodHandle handle = linker.downcallHandle(
                    linker.defaultLookup().find("madvise").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT),
                    ccs);
            MemoryLayout state = Linker.Option.captureStateLayout();
            VarHandle errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            return new Madvise(handle, state, errno);
        }

        /** Returns 0 on success, else errno. */
        int remove(MemorySegment range) {
            try (Arena local = Arena.ofConfined()) {
                MemorySegment state = local.allocate(callState);
                int rc = (int) handle.invokeExact(state, range, range.byteSize(), MADV_REMOVE);
                return rc == 0 ? 0 : (int) errno.get(state, 0L);
            } catch (Throwable t) {
                throw new IllegalStateException("madvise downcall failed", t);
            }
        }
    }
}
