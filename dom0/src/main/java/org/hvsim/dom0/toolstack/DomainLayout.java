package org.hvsim.dom0.toolstack;

import org.hvsim.hv.abi.Page;

/**
 * Where the domain builder puts a domU's start-of-day pages (a builder convention, as libxc's start-of-
 * day layout; the guest learns it from start_info): the kernel image, start_info, the xenstore ring
 * and the console ring in the first frames, shared_info mapped at the first frame above RAM.
 */
public final class DomainLayout {
    public static final long IMAGE_PFN = 0;
    public static final long START_INFO_PFN = 1;
    public static final long STORE_PFN = 2;
    public static final long CONSOLE_PFN = 3;
    /** Frames the builder writes: the image up to the console ring. */
    public static final int BOOTSTRAP_PAGES = 4;
    /** Extents of 2^9 frames (2 MiB) populate RAM; a remainder below that goes page by page. */
    public static final int SUPERPAGE_ORDER = 9;

    private DomainLayout() {}

    public static long startInfoAddress() {
        return Page.addressOf(START_INFO_PFN);
    }

    /** The shared_info frame number of a domain with {@code pages} of RAM. */
    public static long sharedInfoPfn(long pages) {
        return pages;
    }
}
