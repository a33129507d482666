package org.hvsim.domu.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.StartInfo;
import org.junit.jupiter.api.Test;

/** start_info as the builder fills it, and every way it can be unusable. */
class BootInfoTest {
    /** 64 frames of RAM plus shared_info mapped just above, as hvsim's builder lays a guest out. */
    private static final long PAGES = 64;
    private final SegmentGuestMemory m = SegmentGuestMemory.allocate(Page.addressOf(PAGES + 1));

    private static StartInfo good() {
        return new StartInfo("xen-3.0-x86_64", PAGES, Page.addressOf(PAGES), StartInfo.SIF_MOD_START_PFN, 0, 0,
                3, 5, 0, 30, "app=hello");
    }

    private BootInfo from(StartInfo si) {
        return BootInfo.from(si, Page.addressOf(1), m);
    }

    private String error(StartInfo si) {
        return assertThrows(BootInfoException.class, () -> from(si)).getMessage();
    }

    @Test
    void theBuildersLayoutIsAccepted() {
        BootInfo b = from(good());
        assertEquals(PAGES, b.nrPages());
        assertEquals(1, b.startInfoFrame());
        assertEquals(3, b.consoleFrame());
        assertEquals(5, b.consoleEvtchn());
        assertEquals(0, b.imageFrame());
        assertEquals(1, b.imageFrames());
        assertFalse(b.hasStore());
        assertEquals(4, b.firstFreeFrame(), "one past the console ring, the highest bootstrap frame");
        assertEquals("app=hello", b.cmdLine());
        assertEquals(Page.addressOf(3), b.consoleAddress());
    }

    @Test
    void theFirstFreeFrameIsPastEveryBootstrapFrame() {
        StartInfo si = new StartInfo("xen-3.0-x86_64", PAGES, Page.addressOf(40), StartInfo.SIF_MOD_START_PFN, 20, 7,
                3, 5, 8, 3 * Page.SIZE + 1, "");
        BootInfo b = from(si);
        assertTrue(b.hasStore());
        assertEquals(4, b.imageFrames());
        assertEquals(41, b.firstFreeFrame(), "shared_info mapped inside RAM counts");
        assertEquals(21, from(new StartInfo("xen-3.0-x86_64", PAGES, Page.addressOf(PAGES), StartInfo.SIF_MOD_START_PFN,
                20, 7, 3, 5, 8, 3 * Page.SIZE + 1, "")).firstFreeFrame());
    }

    @Test
    void framesOutsideRamAreRefused() {
        StartInfo g = good();
        assertEquals("console.mfn frame 0x40 is outside RAM (nr_pages 64)", error(new StartInfo(g.magic(), g.nrPages(),
                g.sharedInfo(), g.flags(), 0, 0, PAGES, 5, 0, 30, "")));
        assertEquals("store_mfn frame 0xffffffffffffffff is outside RAM (nr_pages 64)", error(new StartInfo(g.magic(),
                g.nrPages(), g.sharedInfo(), g.flags(), -1, 9, 3, 5, 0, 30, "")));
        assertEquals("mod_start frame 0x41 is outside RAM (nr_pages 64)", error(new StartInfo(g.magic(), g.nrPages(),
                g.sharedInfo(), g.flags(), 0, 0, 3, 5, 65, 30, "")));
        assertEquals("the kernel image (mod_start 62, 3 frames) runs past nr_pages 64", error(new StartInfo(g.magic(),
                g.nrPages(), g.sharedInfo(), g.flags(), 0, 0, 3, 5, 62, 2 * Page.SIZE + 1, "")));
        assertEquals("start_info address frame 0x50 is outside RAM (nr_pages 64)", assertThrows(BootInfoException.class,
                () -> BootInfo.from(g, Page.addressOf(80), m)).getMessage());
    }

    @Test
    void nrPagesMustBePopulatedAndBounded() {
        StartInfo g = good();
        assertEquals("nr_pages 100 names frames that are not populated", error(new StartInfo(g.magic(), 100,
                g.sharedInfo(), g.flags(), 0, 0, 3, 5, 0, 30, "")));
        assertTrue(error(new StartInfo(g.magic(), 0, g.sharedInfo(), g.flags(), 0, 0, 3, 5, 0, 30, ""))
                .startsWith("nr_pages 0 is outside 1.."));
        assertTrue(error(new StartInfo(g.magic(), BootInfo.MAX_PAGES + 1, g.sharedInfo(), g.flags(), 0, 0, 3, 5, 0,
                30, ""))
                .startsWith("nr_pages 67108865 is outside 1.."));
    }

    @Test
    void portsMustBe2LevelPorts() {
        StartInfo g = good();
        assertEquals("console.evtchn 0 is not a port in 1..4095", error(new StartInfo(g.magic(), PAGES,
                g.sharedInfo(), g.flags(), 0, 0, 3, 0, 0, 30, "")));
        assertEquals("store_evtchn 4096 is not a port in 1..4095", error(new StartInfo(g.magic(), PAGES,
                g.sharedInfo(), g.flags(), 9, 4096, 3, 5, 0, 30, "")));
        assertEquals("console.evtchn 4294967295 is not a port in 1..4095", error(new StartInfo(g.magic(), PAGES,
                g.sharedInfo(), g.flags(), 0, 0, 3, -1, 0, 30, "")));
    }

    @Test
    void sharedInfoMustBeAMappedPage() {
        StartInfo g = good();
        assertEquals("shared_info 0x41008 is not a mapped page", error(new StartInfo(g.magic(), PAGES,
                Page.addressOf(65) + 8, g.flags(), 0, 0, 3, 5, 0, 30, "")));
        assertEquals("shared_info 0x42000 is not a mapped page", error(new StartInfo(g.magic(), PAGES,
                Page.addressOf(66), g.flags(), 0, 0, 3, 5, 0, 30, "")));
    }

    @Test
    void bootstrapFramesMustNotOverlap() {
        StartInfo g = good();
        assertEquals("start_info and console.mfn are the same frame 1", error(new StartInfo(g.magic(), PAGES,
                g.sharedInfo(), g.flags(), 0, 0, 1, 5, 0, 30, "")));
        assertEquals("bootstrap frame 3 lies inside the kernel image (mod_start 2, 2 frames)", error(new StartInfo(
                g.magic(), PAGES, g.sharedInfo(), g.flags(), 0, 0, 3, 5, 2, Page.SIZE + 1, "")));
        assertEquals("shared_info overlaps bootstrap frame 3", error(new StartInfo(g.magic(), PAGES, Page.addressOf(3),
                g.flags(), 0, 0, 3, 5, 0, 30, "")));
    }

    @Test
    void theImageMustBeNamedByFrame() {
        StartInfo g = good();
        assertEquals("mod_start is not a frame number (SIF_MOD_START_PFN clear)", error(new StartInfo(g.magic(), PAGES,
                g.sharedInfo(), 0, 0, 0, 3, 5, 0, 30, "")));
        BootInfo noImage = from(new StartInfo(g.magic(), PAGES, g.sharedInfo(), 0, 0, 0, 3, 5, 10, 0, ""));
        assertEquals(0, noImage.imageFrames());
        assertEquals(4, noImage.firstFreeFrame(), "without mod_len, mod_start names nothing");
    }

    @Test
    void theMagicAndFreeMemoryAreChecked() {
        StartInfo g = good();
        assertEquals("magic \"linux\" does not start with \"xen-\"", error(new StartInfo("linux", PAGES, g.sharedInfo(),
                g.flags(), 0, 0, 3, 5, 0, 30, "")));
        assertEquals("no free RAM above the bootstrap frames (first free 64, nr_pages 64)",
                error(new StartInfo(g.magic(), PAGES, g.sharedInfo(), g.flags(), 0, 0, PAGES - 1, 5, 0, 30, "")));
    }

    @Test
    void theBannerSaysWhatBooted() {
        assertEquals("hvsim minios: booting on 1 vCPU, 32 MiB, command line \"app=hello\"",
                Banner.booting(1, 8192, "app=hello"));
        assertEquals("hvsim minios: booting on 4 vCPUs, 1028 KiB, command line \"\"", Banner.booting(4, 257, ""));
    }
}
