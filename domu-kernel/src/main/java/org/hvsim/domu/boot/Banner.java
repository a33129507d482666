package org.hvsim.domu.boot;

import org.hvsim.hv.abi.Page;

/** The lines the kernel prints when it comes up, e.g. {@code hvsim minios: booting on 1 vCPU, 32 MiB, ...}. */
public final class Banner {
    private Banner() {}

    /** {@code hvsim minios: booting on <n> vCPU(s), <memory>, command line "<cmdline>"}. */
    public static String booting(int onlineVcpus, long nrPages, String cmdLine) {
        return "hvsim minios: booting on " + onlineVcpus + (onlineVcpus == 1 ? " vCPU" : " vCPUs") + ", "
                + memory(nrPages) + ", command line \"" + cmdLine + "\"";
    }

    /** Where the builder put things and how much memory is free: for people learning the boot protocol. */
    public static String layout(BootInfo b, long freeFrames, long xenVersion) {
        return "minios: Xen " + (xenVersion >>> 16) + "." + (xenVersion & 0xffff)
                + ", start_info gfn " + b.startInfoFrame()
                + ", shared_info gfn " + Page.frameOf(b.sharedInfo())
                + ", console gfn " + b.consoleFrame() + " port " + b.consoleEvtchn()
                + ", " + freeFrames + " free frames from gfn " + b.firstFreeFrame();
    }

    /** Memory as xl shows it: whole MiB when it is a multiple of 1 MiB, KiB otherwise. */
    public static String memory(long nrPages) {
        long kib = nrPages * (Page.SIZE / 1024);
        return kib % 1024 == 0 ? (kib / 1024) + " MiB" : kib + " KiB";
    }
}
