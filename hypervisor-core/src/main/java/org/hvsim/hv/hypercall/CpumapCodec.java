package org.hvsim.hv.hypercall;

import java.util.BitSet;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.domctl.XenctlBitmap;

/**
 * {@code xenctl_bitmap} ↔ BitSet, as Xen's xenctl_bitmap_to_bitmap and bitmap_to_xenctl_bitmap:
 * the guest's nr_bits bound how much is read or written (bit i = byte i/8, bit i%8).
 */
final class CpumapCodec {
    /** Largest bitmap hvsim reads: far above any pCPU count it simulates. */
    static final int MAX_BITS = 1 << 16;

    private CpumapCodec() {}

    /** Reads the bitmap, or returns null when nr_bits is out of range. */
    static BitSet read(GuestMemory m, XenctlBitmap b, int usefulBits) {
        if (b.nrBits() < 0 || b.nrBits() > MAX_BITS) {
            return null;
        }
        int bits = Math.min(b.nrBits(), usefulBits);
        byte[] bytes = m.readBytes(b.bitmap(), (bits + 7) / 8);
        BitSet set = BitSet.valueOf(bytes);
        if (set.length() > bits) {
            set.clear(bits, set.length());
        }
        return set;
    }

    /** Writes {@code set} into the guest's bitmap, zeroing its bits beyond the set. */
    static void write(GuestMemory m, XenctlBitmap b, BitSet set) {
        int bytes = (Math.max(0, Math.min(b.nrBits(), MAX_BITS)) + 7) / 8;
        byte[] out = new byte[bytes];
        byte[] src = set.toByteArray();
        System.arraycopy(src, 0, out, 0, Math.min(src.length, bytes));
        m.write(b.bitmap(), out);
    }
}
