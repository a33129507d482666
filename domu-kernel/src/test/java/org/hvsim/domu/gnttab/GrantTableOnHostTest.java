package org.hvsim.domu.gnttab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabMapGrantRef;
import org.hvsim.hv.abi.gnttab.GnttabUnmapGrantRef;
import org.hvsim.hv.abi.gnttab.Gtf;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A guest on an in-process hypervisor grants dom0 a page; dom0 maps it with grant_table_op (arguments in
 * its own memory, as its privcmd hypercalls carry them), reads what the guest wrote and writes a reply in
 * machine memory, unmaps, and the guest ends the grant, which it could not while the page was mapped.
 */
class GrantTableOnHostTest {
    private static final long TIMEOUT_MS = 10_000;
    /** A frame of dom0's RAM no one else uses in TestHost's dom0 (16 MiB: frames 0..4095). */
    private static final long DOM0_ARG = Page.addressOf(4000);

    private final KernelHost host;

    GrantTableOnHostTest() throws Exception {
        host = KernelHost.start(1);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void dom0MapsAGuestsGrantReadsWritesAndUnmapsThenTheGuestEndsIt() throws Exception {
        Domain d = host.bootTestKernel(GrantProbeKernel.class, "", 8);
        GuestConsole console = host.console(d);
        String seen = console.await("grant: ref ", TIMEOUT_MS);
        TestHost.await(() -> console.drain().contains("."), TIMEOUT_MS, "the grant line");
        Matcher mt = Pattern.compile("grant: ref (\\d+) gfn (\\d+) frames (\\d+)\\.").matcher(console.seen());
        assertTrue(mt.find(), seen);
        int ref = Integer.parseInt(mt.group(1));
        long gfn = Long.parseLong(mt.group(2));
        assertEquals(8, ref, "the first ref after the 8 reserved ones");
        assertEquals(1, Integer.parseInt(mt.group(3)), "the table is set up on the first grant");

        TestHost t = host.host();
        GuestMemory dom0 = t.dom0Memory();
        GnttabMapGrantRef.request(GntTabOp.GNTMAP_HOST_MAP, ref, d.domid()).write(dom0, DOM0_ARG);
        assertEquals(0, t.dom0Hypercall(0, HypercallNr.GRANT_TABLE_OP, GntTabOp.MAP_GRANT_REF, DOM0_ARG, 1, 0, 0));
        GnttabMapGrantRef map = GnttabMapGrantRef.read(dom0, DOM0_ARG);
        assertEquals(GntSt.OKAY, map.status(), GntSt.message(map.status()));
        assertEquals(Page.addressOf(d.memory().lookup(gfn)), map.devBusAddr());
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READING | Gtf.WRITING, d.grantTable().entry(ref).flags());

        MemorySegment page = t.machine().frame(map.devBusAddr() >>> Page.SHIFT);
        byte[] msg = new byte[GrantProbeKernel.MESSAGE.length()];
        MemorySegment.copy(page, ValueLayout.JAVA_BYTE, 0, msg, 0, msg.length);
        assertEquals(GrantProbeKernel.MESSAGE, new String(msg, StandardCharsets.US_ASCII));
        byte[] reply = "hello from dom0".getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(reply, 0, page, ValueLayout.JAVA_BYTE, GrantProbeKernel.REPLY + 8, reply.length);
        page.set(ValueLayout.JAVA_INT.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), GrantProbeKernel.REPLY, reply.length);

        console.await("grant: busy, flags " + (Gtf.PERMIT_ACCESS | Gtf.READING | Gtf.WRITING), TIMEOUT_MS);
        new GnttabUnmapGrantRef(0, map.devBusAddr(), map.handle(), 99).write(dom0, DOM0_ARG);
        assertEquals(0, t.dom0Hypercall(0, HypercallNr.GRANT_TABLE_OP, GntTabOp.UNMAP_GRANT_REF, DOM0_ARG, 1, 0, 0));
        assertEquals(GntSt.OKAY, dom0.getShort(DOM0_ARG + GnttabUnmapGrantRef.STATUS));

        console.await("grant: ended ref 8, flags 0, reply hello from dom0", TIMEOUT_MS);
        TestHost.await(d::isShutdown, TIMEOUT_MS, "the guest to power off");
        assertEquals(0, d.grantTable().totalPins());
        assertEquals(0, t.dom0().grantTable().mappings());
    }

    @Test
    void refsComeFromAFreeListThatGrowsAFrameAtATimeUpToTheDomainsLimit() throws Exception {
        Domain d = host.bootTestKernel(GrantGrowthKernel.class, "", 8);
        GuestConsole console = host.console(d);
        console.await("growth: first 8 last 511 frames 1 free 0", TIMEOUT_MS);
        console.await("growth: next 512 frames 2", TIMEOUT_MS);
        console.await("growth: ended 100 true flags 0, then got 100 flags " + Gtf.PERMIT_ACCESS, TIMEOUT_MS);
        // 64 frames (the hypervisor's default max_grant_frames) hold 32768 refs, 8 reserved, refs 8..512 used above (100 reused).
        console.await("growth: " + (64 * 512 - 8 - 505) + " more, 64 frames, then grant table full: 64 frames",
                TIMEOUT_MS);
        TestHost.await(d::isShutdown, TIMEOUT_MS, "the guest to power off");
        assertEquals(64, d.grantTable().nrFrames());
    }
}
