package org.hvsim.dom0.toolstack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.hvsim.dom0.xen.ForeignMapping;
import org.hvsim.dom0.xen.ForeignMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.proto.toolstack.MemoryExtent;

/**
 * Writes a domain's memory to a core file for on_*=coredump-* (xl dumps to XEN_DUMP_DIR/&lt;name&gt;): an
 * ELF64 core (ET_CORE, EM_X86_64) with one PT_LOAD segment per memory extent, its physical address the
 * extent's guest-physical address, readable with readelf or a debugger. Frames are mapped one extent
 * at a time.
 */
final class CoreDumper {
    private static final int EHDR = 64;
    private static final int PHDR = 56;

    private final ForeignMemory foreign;

    CoreDumper(ForeignMemory foreign) {
        this.foreign = foreign;
    }

    void dump(int domid, List<MemoryExtent> extents, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        long dataStart = align(EHDR + (long) PHDR * extents.size());
        ByteBuffer head = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
        head.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        head.putShort((short) 4).putShort((short) 62).putInt(1).putLong(0).putLong(EHDR).putLong(0).putInt(0)
                .putShort((short) EHDR).putShort((short) PHDR).putShort((short) extents.size())
                .putShort((short) 0).putShort((short) 0).putShort((short) 0);
        long offset = dataStart;
        for (MemoryExtent e : extents) {
            long bytes = (long) Page.SIZE << e.getOrder();
            head.putInt(1).putInt(6).putLong(offset).putLong(Page.addressOf(e.getGpfn())).putLong(Page.addressOf(e.getGpfn()))
                    .putLong(bytes).putLong(bytes).putLong(Page.SIZE);
            offset += bytes;
        }
        head.position(0);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(head);
            out.position(dataStart);
            byte[] page = new byte[Page.SIZE];
            for (MemoryExtent e : extents) {
                long[] mfns = new long[1 << e.getOrder()];
                for (int i = 0; i < mfns.length; i++) {
                    mfns[i] = e.getMfn() + i;
                }
                try (ForeignMapping m = foreign.map(domid, mfns, 0)) {
                    for (int i = 0; i < mfns.length; i++) {
                        m.memory().read(Page.addressOf(i), page, 0, Page.SIZE);
                        out.write(ByteBuffer.wrap(page));
                    }
                }
            }
        }
    }

    private static long align(long n) {
        return (n + Page.SIZE - 1) & ~(long) Page.MASK;
    }
}
