package org.hvsim.dom0.blkback;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hvsim.virtio.blk.VirtioBlkRequest;
import org.hvsim.virtio.blk.VirtioBlkRequestHeader;
import org.hvsim.virtio.blk.VirtioBlkRequestParser;
import org.hvsim.virtio.blk.VirtioBlkRequestType;
import org.hvsim.virtio.blk.VirtioBlkSegment;
import org.hvsim.virtio.blk.VirtioBlkStatus;
import org.hvsim.virtio.dma.GuestRegion;

/**
 * Carries out a well-formed virtio-blk request against a {@link BlockImage} and gives its status: IN and OUT
 * move data straight between the image and the guest's mapped pages (their machine-memory segments), FLUSH
 * is {@link BlockImage#flush}, GET_ID writes the device's 20-byte id, DISCARD and WRITE_ZEROES go segment by
 * segment. The parser has already checked the shape, the range and read-only devices. An I/O error is IOERR.
 *
 * <p>Threads: any number of workers at once (stateless but for the image, which allows it).
 */
public final class BlkRequestExecutor {
    private final BlockImage image;
    private final byte[] id;

    /** @param id the device's id for GET_ID (UTF-8, cut to 20 bytes, NUL-padded) */
    public BlkRequestExecutor(BlockImage image, String id) {
        this.image = image;
        this.id = new byte[VirtioBlkRequestParser.ID_BYTES];
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, this.id, 0, Math.min(b.length, this.id.length));
    }

    public BlockImage image() {
        return image;
    }

    /** Does {@code r}; returns VIRTIO_BLK_S_OK, or throws the image's error. */
    public int execute(VirtioBlkRequest r) throws IOException {
        long offset = r.sector() * VirtioBlkRequestHeader.SECTOR_SIZE;
        switch (r.type()) {
            case VirtioBlkRequestType.IN -> transfer(r, offset, true);
            case VirtioBlkRequestType.OUT -> transfer(r, offset, false);
            case VirtioBlkRequestType.FLUSH -> image.flush();
            case VirtioBlkRequestType.GET_ID -> r.data().write(0, id, 0, id.length);
            case VirtioBlkRequestType.DISCARD -> {
                for (VirtioBlkSegment s : r.segments()) {
                    image.discard(s.sector() * VirtioBlkRequestHeader.SECTOR_SIZE,
                            s.numSectors() * VirtioBlkRequestHeader.SECTOR_SIZE);
                }
            }
            case VirtioBlkRequestType.WRITE_ZEROES -> {
                for (VirtioBlkSegment s : r.segments()) {
                    image.writeZeroes(s.sector() * VirtioBlkRequestHeader.SECTOR_SIZE,
                            s.numSectors() * VirtioBlkRequestHeader.SECTOR_SIZE);
                }
            }
            default -> {
                return VirtioBlkStatus.UNSUPP;
            }
        }
        return VirtioBlkStatus.OK;
    }

    private void transfer(VirtioBlkRequest r, long offset, boolean in) throws IOException {
        long pos = offset;
        for (GuestRegion g : r.data().regions()) {
            List<MemorySegment> segs = GrantedPages.segmentsOf(g.memory(), g.address(), g.length());
            if (segs == null) {
                bounce(g, pos, in);
            } else {
                for (MemorySegment s : segs) {
                    if (in) {
                        image.read(pos, s);
                    } else {
                        image.write(pos, s);
                    }
                    pos += s.byteSize();
                }
                continue;
            }
            pos += g.length();
        }
    }

    /** A memory that is not machine memory (a test's stand-in): through a buffer. */
    private void bounce(GuestRegion g, long pos, boolean in) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tmp = a.allocate(g.length());
            if (in) {
                image.read(pos, tmp);
                g.memory().write(g.address(), tmp, 0, g.length());
            } else {
                g.memory().read(g.address(), tmp, 0, g.length());
                image.write(pos, tmp);
            }
        }
    }
}
