package org.hvsim.dom0.xen;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.hvsim.hv.abi.Page;

/**
 * dom0's mapping of the whole machine memory file (a PV dom0 may address any machine frame it has
 * been allowed to map; which ones is the hypervisor's business). Threads: any; closing it while
 * others use it is the caller's error.
 */
public final class MachineMapping implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;

    private MachineMapping(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
    }

    public static MachineMapping map(Path path, long bytes) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() != bytes) {
                throw new IOException("machine memory " + path + " has " + ch.size() + " bytes, the hypervisor says " + bytes);
            }
            return new MachineMapping(path, arena, ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long frames() {
        return segment.byteSize() / Page.SIZE;
    }

    /** Machine frame {@code mfn} as a 4 KiB segment. */
    public MemorySegment frame(long mfn) {
        if (mfn < 0 || mfn >= frames()) {
            throw new IllegalArgumentException("MFN " + mfn + " outside machine memory (" + frames() + " frames)");
        }
        return segment.asSlice(Page.addressOf(mfn), Page.SIZE);
    }

    @Override
    public void close() {
        arena.close();
    }
}
