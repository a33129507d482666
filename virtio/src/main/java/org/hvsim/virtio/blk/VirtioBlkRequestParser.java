package org.hvsim.virtio.blk;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.virtio.dma.RegionList;
import org.hvsim.virtio.ring.DescriptorChain;

/**
 * Checks a popped chain's shape as a virtio-blk request (VIRTIO 1.2 §5.2.6) and gives the spec's answer:
 * <ul>
 * <li>no device-writable byte at the end: nowhere to answer ({@link VirtioBlkParseResult.Unanswerable});</li>
 * <li>fewer than 16 device-readable header bytes (a writable header): IOERR;</li>
 * <li>unknown or unoffered types (FLUSH, DISCARD, WRITE_ZEROES not negotiated; GET_LIFETIME, SECURE_ERASE):
 *     UNSUPP; a segment with an unknown flag, or UNMAP on a DISCARD: UNSUPP;</li>
 * <li>data on the wrong side (device-readable data for IN and GET_ID, device-writable data for OUT, DISCARD,
 *     WRITE_ZEROES), IN/OUT data not a multiple of 512, GET_ID data other than 20 bytes, segment data not a
 *     positive multiple of 16 or more segments than allowed, a range past the capacity or over the sector
 *     limit: IOERR;</li>
 * <li>OUT, DISCARD and WRITE_ZEROES on a read-only device: IOERR, and no data is written.</li>
 * </ul>
 * The header may be cut across descriptors anywhere: the parser reads the chain as two runs of bytes.
 * Segments are read once, here. Stateless and thread-safe.
 */
public final class VirtioBlkRequestParser {

    /** GET_ID's data: a NUL-padded ID string of up to 20 bytes. */
    public static final int ID_BYTES = 20;

    private final VirtioBlkLimits limits;

    public VirtioBlkRequestParser(VirtioBlkLimits limits) {
        this.limits = limits;
    }

    public VirtioBlkParseResult parse(DescriptorChain chain) {
        int head = chain.head();
        RegionList readable = chain.readable();
        RegionList writable = chain.writable();
        long w = writable.length();
        if (w == 0) {
            return new VirtioBlkParseResult.Unanswerable(head, "no device-writable status byte");
        }
        Reject reject = new Reject(head, writable.slice(w - 1, 1), w == 1 ? 1 : 0);
        long r = readable.length();
        if (r < VirtioBlkRequestHeader.SIZE) {
            return reject.ioerr("header is " + r + " device-readable bytes, not 16");
        }
        VirtioBlkRequestHeader header = VirtioBlkRequestHeader.decode(readable.readBytes(0, VirtioBlkRequestHeader.SIZE));
        long readData = r - VirtioBlkRequestHeader.SIZE;
        long writeData = w - 1;
        RegionList status = writable.slice(w - 1, 1);
        int type = header.type();
        return switch (type) {
            case VirtioBlkRequestType.IN -> {
                if (readData != 0) {
                    yield reject.ioerr("IN with " + readData + " device-readable data bytes");
                }
                String bad = checkRange(header.sector(), writeData);
                yield bad != null ? reject.ioerr("IN " + bad)
                        : accept(head, type, header.sector(), writable.slice(0, writeData), status, List.of());
            }
            case VirtioBlkRequestType.OUT -> {
                if (writeData != 0) {
                    yield reject.ioerr("OUT with " + writeData + " device-writable data bytes");
                }
                if (limits.readOnly()) {
                    yield reject.ioerr("OUT to a read-only device");
                }
                String bad = checkRange(header.sector(), readData);
                yield bad != null ? reject.ioerr("OUT " + bad)
                        : accept(head, type, header.sector(), readable.slice(VirtioBlkRequestHeader.SIZE, readData),
                                status, List.of());
            }
            case VirtioBlkRequestType.FLUSH -> limits.flush()
                    ? accept(head, type, 0, RegionList.empty(), status, List.of())
                    : reject.unsupp("FLUSH not negotiated");
            case VirtioBlkRequestType.GET_ID -> {
                if (readData != 0) {
                    yield reject.ioerr("GET_ID with " + readData + " device-readable data bytes");
                }
                yield writeData != ID_BYTES ? reject.ioerr("GET_ID with " + writeData + " data bytes, not 20")
                        : accept(head, type, 0, writable.slice(0, ID_BYTES), status, List.of());
            }
            case VirtioBlkRequestType.DISCARD, VirtioBlkRequestType.WRITE_ZEROES ->
                    parseSegments(head, type, readable, readData, writeData, status, reject);
            default -> reject.unsupp(VirtioBlkRequestType.name(type) + " not supported");
        };
    }

    private VirtioBlkParseResult parseSegments(int head, int type, RegionList readable, long readData, long writeData,
            RegionList status, Reject reject) {
        boolean discard = type == VirtioBlkRequestType.DISCARD;
        String name = VirtioBlkRequestType.name(type);
        if (!(discard ? limits.discard() : limits.writeZeroes())) {
            return reject.unsupp(name + " not negotiated");
        }
        if (writeData != 0) {
            return reject.ioerr(name + " with " + writeData + " device-writable data bytes");
        }
        int maxSeg = discard ? limits.maxDiscardSeg() : limits.maxWriteZeroesSeg();
        if (readData == 0 || readData % VirtioBlkSegment.SIZE != 0 || readData / VirtioBlkSegment.SIZE > maxSeg) {
            return reject.ioerr(name + " with " + readData + " data bytes (segments of 16, at most " + maxSeg + ")");
        }
        int n = (int) (readData / VirtioBlkSegment.SIZE);
        byte[] raw = readable.readBytes(VirtioBlkRequestHeader.SIZE, n * VirtioBlkSegment.SIZE);
        List<VirtioBlkSegment> segments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            VirtioBlkSegment s = VirtioBlkSegment.decode(raw, i * VirtioBlkSegment.SIZE);
            if ((s.flags() & ~VirtioBlkSegment.FLAG_UNMAP) != 0 || (discard && s.unmap())) {
                return reject.unsupp(name + " segment " + i + " has flags 0x" + Integer.toHexString(s.flags()));
            }
            segments.add(s);
        }
        if (limits.readOnly()) {
            return reject.ioerr(name + " to a read-only device");
        }
        long maxSectors = discard ? limits.maxDiscardSectors() : limits.maxWriteZeroesSectors();
        for (int i = 0; i < n; i++) {
            VirtioBlkSegment s = segments.get(i);
            if (maxSectors != 0 && s.numSectors() > maxSectors) {
                return reject.ioerr(name + " segment " + i + " of " + s.numSectors() + " sectors, limit " + maxSectors);
            }
            if (Long.compareUnsigned(s.sector(), limits.capacity()) > 0
                    || s.numSectors() > limits.capacity() - s.sector()) {
                return reject.ioerr(name + " segment " + i + " past the end of the disk");
            }
        }
        return accept(head, type, 0, RegionList.empty(), status, List.copyOf(segments));
    }

    /** Why [sector, sector + bytes/512) is not a valid transfer on this disk, or null. */
    private String checkRange(long sector, long bytes) {
        if (bytes % VirtioBlkRequestHeader.SECTOR_SIZE != 0) {
            return "data of " + bytes + " bytes, not a multiple of 512";
        }
        long sectors = bytes / VirtioBlkRequestHeader.SECTOR_SIZE;
        if (Long.compareUnsigned(sector, limits.capacity()) > 0 || sectors > limits.capacity() - sector) {
            return "of " + sectors + " sectors at " + Long.toUnsignedString(sector) + " past the end of the disk ("
                    + limits.capacity() + " sectors)";
        }
        return null;
    }

    private static VirtioBlkParseResult accept(int head, int type, long sector, RegionList data, RegionList status,
            List<VirtioBlkSegment> segments) {
        return new VirtioBlkParseResult.Accepted(new VirtioBlkRequest(head, type, sector, data, status, segments));
    }

    private record Reject(int head, RegionList statusByte, long usedLength) {
        VirtioBlkParseResult ioerr(String why) {
            return new VirtioBlkParseResult.Rejected(head, VirtioBlkStatus.IOERR, statusByte, usedLength, why);
        }

        VirtioBlkParseResult unsupp(String why) {
            return new VirtioBlkParseResult.Rejected(head, VirtioBlkStatus.UNSUPP, statusByte, usedLength, why);
        }
    }
}
