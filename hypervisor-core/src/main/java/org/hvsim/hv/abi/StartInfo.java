package org.hvsim.hv.abi;

import java.nio.charset.StandardCharsets;

/**
 * {@code struct start_info} (x86-64, {@code public/xen.h}): the start-of-day page the domain builder
 * fills and vCPU 0 receives the address of. Written by the builder ([TOOLS]), read by the guest.
 *
 * <pre>
 *    0  char     magic[32]        "xen-&lt;version&gt;-&lt;platform&gt;"
 *   32  u64      nr_pages         pages allocated to the domain
 *   40  u64      shared_info      MACHINE address of the shared_info page
 *   48  u32      flags            SIF_*
 *   56  u64      store_mfn        xenstore ring page (MFN)
 *   64  u32      store_evtchn     xenstore event channel
 *   72  u64      console.mfn      console ring page (MFN)       | dom0: u32 info_off @72,
 *   80  u32      console.evtchn   console event channel         |       u32 info_size @76
 *   88  u64      pt_base
 *   96  u64      nr_pt_frames
 *  104  u64      mfn_list
 *  112  u64      mod_start        with SIF_MOD_START_PFN: PFN of the pre-loaded module (the kernel image)
 *  120  u64      mod_len
 *  128  i8       cmd_line[1024]   NUL-terminated
 * 1152  u64      first_p2m_pfn
 * 1160  u64      nr_p2m_frames
 * 1168           (size)
 * </pre>
 */
public record StartInfo(String magic, long nrPages, long sharedInfo, int flags, long storeMfn,
        int storeEvtchn, long consoleMfn, int consoleEvtchn, long modStart, long modLen, String cmdLine) {

    public static final int MAGIC = 0;
    public static final int MAGIC_LEN = 32;
    public static final int NR_PAGES = 32;
    public static final int SHARED_INFO = 40;
    public static final int FLAGS = 48;
    public static final int STORE_MFN = 56;
    public static final int STORE_EVTCHN = 64;
    public static final int CONSOLE_MFN = 72;
    public static final int CONSOLE_EVTCHN = 80;
    public static final int PT_BASE = 88;
    public static final int NR_PT_FRAMES = 96;
    public static final int MFN_LIST = 104;
    public static final int MOD_START = 112;
    public static final int MOD_LEN = 120;
    public static final int CMD_LINE = 128;
    public static final int MAX_GUEST_CMDLINE = 1024;
    public static final int FIRST_P2M_PFN = 1152;
    public static final int NR_P2M_FRAMES = 1160;
    public static final int SIZE = 1168;

    public static final int SIF_PRIVILEGED = 1 << 0;
    public static final int SIF_INITDOMAIN = 1 << 1;
    public static final int SIF_MULTIBOOT_MOD = 1 << 2;
    public static final int SIF_MOD_START_PFN = 1 << 3;

    /** Reads the structure at {@code address}; strings stop at the first NUL or at their field's end. */
    public static StartInfo read(GuestMemory m, long address) {
        return new StartInfo(
                cString(m, address + MAGIC, MAGIC_LEN),
                m.getLong(address + NR_PAGES),
                m.getLong(address + SHARED_INFO),
                m.getInt(address + FLAGS),
                m.getLong(address + STORE_MFN),
                m.getInt(address + STORE_EVTCHN),
                m.getLong(address + CONSOLE_MFN),
                m.getInt(address + CONSOLE_EVTCHN),
                m.getLong(address + MOD_START),
                m.getLong(address + MOD_LEN),
                cString(m, address + CMD_LINE, MAX_GUEST_CMDLINE));
    }

    /** Writes the structure at {@code address}, zeroing the fields this record does not carry. */
    public void write(GuestMemory m, long address) {
        m.fill(address, SIZE, (byte) 0);
        putCString(m, address + MAGIC, MAGIC_LEN, magic);
        m.putLong(address + NR_PAGES, nrPages);
        m.putLong(address + SHARED_INFO, sharedInfo);
        m.putInt(address + FLAGS, flags);
        m.putLong(address + STORE_MFN, storeMfn);
        m.putInt(address + STORE_EVTCHN, storeEvtchn);
        m.putLong(address + CONSOLE_MFN, consoleMfn);
        m.putInt(address + CONSOLE_EVTCHN, consoleEvtchn);
        m.putLong(address + MOD_START, modStart);
        m.putLong(address + MOD_LEN, modLen);
        putCString(m, address + CMD_LINE, MAX_GUEST_CMDLINE, cmdLine);
    }

    /** Reads a NUL-terminated string of at most {@code max} bytes (no NUL needed at the end). */
    public static String cString(GuestMemory m, long address, int max) {
        byte[] b = m.readBytes(address, max);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** Writes {@code s} NUL-terminated into a field of {@code max} bytes, truncating to {@code max - 1}. */
    public static void putCString(GuestMemory m, long address, int max, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, max - 1);
        m.write(address, b, 0, n);
        m.putByte(address + n, (byte) 0);
    }
}
