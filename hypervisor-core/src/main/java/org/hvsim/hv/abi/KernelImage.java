package org.hvsim.hv.abi;

import java.nio.charset.StandardCharsets;

/**
 * The kernel image the domain builder loads into a domU's memory and names in start_info
 * ({@code mod_start} as a PFN with {@code SIF_MOD_START_PFN}, {@code mod_len}); vCPU 0's context points
 * at it. hvsim kernels are Java, so the image is a reference to the kernel jar rather than machine
 * code: the hypervisor's boot loader reads it when vCPU 0 first runs and loads the kernel it names.
 *
 * <pre>
 *  0  u8[8]  magic      "HVSIMKRN"
 *  8  u32    version    1
 * 12  u32    ref_len    bytes of ref, at most {@link #MAX_REF}
 * 16  u8[]   ref        UTF-8 absolute path of the kernel jar
 * </pre>
 */
public record KernelImage(String jarPath) {
    public static final byte[] MAGIC = "HVSIMKRN".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int VERSION_OFFSET = 8;
    public static final int REF_LEN = 12;
    public static final int REF = 16;
    public static final int MAX_REF = Page.SIZE - REF;

    public KernelImage {
        if (jarPath.getBytes(StandardCharsets.UTF_8).length > MAX_REF) {
            throw new IllegalArgumentException("kernel path longer than " + MAX_REF + " bytes");
        }
    }

    /** Bytes the image occupies. */
    public int length() {
        return REF + jarPath.getBytes(StandardCharsets.UTF_8).length;
    }

    public void write(GuestMemory m, long address) {
        byte[] ref = jarPath.getBytes(StandardCharsets.UTF_8);
        m.write(address, MAGIC);
        m.putInt(address + VERSION_OFFSET, VERSION);
        m.putInt(address + REF_LEN, ref.length);
        m.write(address + REF, ref);
    }

    /**
     * Reads and validates an image (guest-controlled memory: every field is checked).
     *
     * @throws IllegalArgumentException if the bytes at {@code address} are not a valid image
     */
    public static KernelImage read(GuestMemory m, long address, long length) {
        if (length < REF || length > Page.SIZE) {
            throw new IllegalArgumentException("kernel image length " + length + " out of range");
        }
        byte[] magic = m.readBytes(address, MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("no HVSIMKRN magic");
        }
        int version = m.getInt(address + VERSION_OFFSET);
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown kernel image version " + version);
        }
        int refLen = m.getInt(address + REF_LEN);
        if (refLen <= 0 || refLen > MAX_REF || REF + refLen > length) {
            throw new IllegalArgumentException("kernel reference length " + refLen + " out of range");
        }
        return new KernelImage(new String(m.readBytes(address + REF, refLen), StandardCharsets.UTF_8));
    }
}
