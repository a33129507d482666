package org.hvsim.domu.boot;

import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.StartInfo;

/**
 * What the kernel takes from start_info, checked once at boot ({@link #from}): every frame number is
 * inside RAM (guest frames 0..nr_pages-1; hvsim guests are auto-translated, so frame fields are guest
 * frame numbers), the bootstrap frames do not overlap, event channel ports are valid 2-level ports, and
 * the pages are there. Nothing else of start_info is used anywhere else.
 *
 * @param nrPages        frames of RAM: 0..nrPages-1 are populated
 * @param startInfoFrame the frame holding start_info
 * @param sharedInfo     guest-physical address where the builder mapped shared_info (page aligned)
 * @param consoleFrame   the console ring page ({@code xencons_interface})
 * @param consoleEvtchn  the console's event channel port
 * @param storeFrame     the xenstore ring page, or {@link Page#INVALID_FRAME} when there is none yet
 * @param storeEvtchn    the xenstore port, 0 when there is none yet
 * @param imageFrame     first frame of the kernel image ({@code mod_start}), or INVALID_FRAME
 * @param imageFrames    frames the image spans ({@code mod_len} rounded up), 0 when there is none
 * @param cmdLine        the command line
 */
public record BootInfo(long nrPages, long startInfoFrame, long sharedInfo, long consoleFrame, int consoleEvtchn,
        long storeFrame, int storeEvtchn, long imageFrame, long imageFrames, String cmdLine) {

    /** The most RAM this kernel manages: 2^26 frames (256 GiB), which bounds its frame bitmap at 8 MiB. */
    public static final long MAX_PAGES = 1L << 26;
    /** start_info's magic starts with this ("xen-3.0-x86_64"). */
    public static final String MAGIC_PREFIX = "xen-";

    /**
     * Checks {@code si}, read from {@code startInfoAddress}, against {@code memory}.
     *
     * @throws BootInfoException naming the field and value that is wrong
     */
    public static BootInfo from(StartInfo si, long startInfoAddress, GuestMemory memory) {
        if (!si.magic().startsWith(MAGIC_PREFIX)) {
            throw new BootInfoException("magic \"" + si.magic() + "\" does not start with \"" + MAGIC_PREFIX + "\"");
        }
        long nrPages = si.nrPages();
        if (nrPages <= 0 || nrPages > MAX_PAGES) {
            throw new BootInfoException("nr_pages " + nrPages + " is outside 1.." + MAX_PAGES);
        }
        if (!memory.isAccessible(0, Page.SIZE) || !memory.isAccessible(Page.addressOf(nrPages - 1), Page.SIZE)) {
            throw new BootInfoException("nr_pages " + nrPages + " names frames that are not populated");
        }
        long startInfoFrame = ramFrame("start_info address", Page.frameOf(startInfoAddress), nrPages);
        long sharedInfo = si.sharedInfo();
        if (Page.offsetIn(sharedInfo) != 0 || !memory.isAccessible(sharedInfo, Page.SIZE)) {
            throw new BootInfoException("shared_info 0x" + Long.toHexString(sharedInfo) + " is not a mapped page");
        }
        long console = ramFrame("console.mfn", si.consoleMfn(), nrPages);
        int consoleEvtchn = port("console.evtchn", si.consoleEvtchn());
        long store = Page.INVALID_FRAME;
        int storeEvtchn = 0;
        if (si.storeMfn() != 0 || si.storeEvtchn() != 0) {
            store = ramFrame("store_mfn", si.storeMfn(), nrPages);
            storeEvtchn = port("store_evtchn", si.storeEvtchn());
        }
        long image = Page.INVALID_FRAME;
        long imageFrames = 0;
        if (si.modLen() != 0) {
            if ((si.flags() & StartInfo.SIF_MOD_START_PFN) == 0) {
                throw new BootInfoException("mod_start is not a frame number (SIF_MOD_START_PFN clear)");
            }
            if (si.modLen() < 0 || si.modLen() > Page.addressOf(nrPages)) {
                throw new BootInfoException("mod_len " + si.modLen() + " does not fit in RAM");
            }
            image = ramFrame("mod_start", si.modStart(), nrPages);
            imageFrames = (si.modLen() + Page.SIZE - 1) >>> Page.SHIFT;
            if (image + imageFrames > nrPages) {
                throw new BootInfoException("the kernel image (mod_start " + image + ", " + imageFrames
                        + " frames) runs past nr_pages " + nrPages);
            }
        }
        BootInfo b = new BootInfo(nrPages, startInfoFrame, sharedInfo, console, consoleEvtchn, store, storeEvtchn,
                image, imageFrames, si.cmdLine());
        b.checkNoOverlap();
        if (b.firstFreeFrame() >= nrPages) {
            throw new BootInfoException("no free RAM above the bootstrap frames (first free " + b.firstFreeFrame()
                    + ", nr_pages " + nrPages + ")");
        }
        return b;
    }

    /**
     * The first frame the kernel may allocate: one past the highest bootstrap frame start_info names
     * (the image rounded up to whole frames, start_info itself, the console and store rings, and
     * shared_info when the builder mapped it inside RAM).
     */
    public long firstFreeFrame() {
        long top = Math.max(startInfoFrame, consoleFrame);
        if (hasStore()) {
            top = Math.max(top, storeFrame);
        }
        if (imageFrames > 0) {
            top = Math.max(top, imageFrame + imageFrames - 1);
        }
        long sharedInfoFrame = Page.frameOf(sharedInfo);
        if (sharedInfoFrame < nrPages) {
            top = Math.max(top, sharedInfoFrame);
        }
        return top + 1;
    }

    public boolean hasStore() {
        return storeFrame != Page.INVALID_FRAME;
    }

    public long consoleAddress() {
        return Page.addressOf(consoleFrame);
    }

    /** RAM in bytes. */
    public long memoryBytes() {
        return Page.addressOf(nrPages);
    }

    private void checkNoOverlap() {
        distinct("start_info", startInfoFrame, "console.mfn", consoleFrame);
        if (hasStore()) {
            distinct("start_info", startInfoFrame, "store_mfn", storeFrame);
            distinct("console.mfn", consoleFrame, "store_mfn", storeFrame);
        }
        long sharedInfoFrame = Page.frameOf(sharedInfo);
        for (long f : new long[] {startInfoFrame, consoleFrame, storeFrame}) {
            if (f == Page.INVALID_FRAME) {
                continue;
            }
            if (f == sharedInfoFrame) {
                throw new BootInfoException("shared_info overlaps bootstrap frame " + f);
            }
            if (inImage(f)) {
                throw new BootInfoException("bootstrap frame " + f + " lies inside the kernel image (mod_start "
                        + imageFrame + ", " + imageFrames + " frames)");
            }
        }
        if (inImage(sharedInfoFrame)) {
            throw new BootInfoException("shared_info lies inside the kernel image");
        }
    }

    private boolean inImage(long frame) {
        return imageFrames > 0 && frame >= imageFrame && frame < imageFrame + imageFrames;
    }

    private static void distinct(String a, long fa, String b, long fb) {
        if (fa == fb) {
            throw new BootInfoException(a + " and " + b + " are the same frame " + fa);
        }
    }

    private static long ramFrame(String field, long frame, long nrPages) {
        if (frame < 0 || frame >= nrPages) {
            throw new BootInfoException(field + " frame 0x" + Long.toHexString(frame) + " is outside RAM (nr_pages "
                    + nrPages + ")");
        }
        return frame;
    }

    private static int port(String field, int port) {
        if (port <= 0 || port >= EvtchnOp.NR_2L_CHANNELS) {
            throw new BootInfoException(field + " " + Integer.toUnsignedString(port) + " is not a port in 1.."
                    + (EvtchnOp.NR_2L_CHANNELS - 1));
        }
        return port;
    }
}
