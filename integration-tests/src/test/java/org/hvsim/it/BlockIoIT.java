package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Value;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hvsim.domu.blkbench.VerifyPattern;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.Test;

/**
 * Block I/O end to end on a live host: guests run blkbench on their disks through their virtio-blk frontend,
 * dom0's backend and the grant tables; results come back through xl workload-result; images are checked
 * from the host afterwards; disks are attached to and detached from a running guest.
 */
class BlockIoIT extends HostPerClass {
    private static final String PRESERVE = "on_poweroff = \"preserve\"";

    private Path image(String name, long bytes) throws IOException {
        Path p = host.home().resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    /** Runs blkbench in a new guest until it powers off; returns its result. */
    private Value bench(String name, String disk, String job) throws Exception {
        guests.start(name, "blkbench " + job, PRESERVE, "disk = [ '" + disk + "' ]");
        guests.await(name, DomainInfo::getShutdown, "blkbench to finish");
        return Json.parse(host.xl("workload-result", name).expectOk().out());
    }

    private static double number(Value v, String... path) {
        return Json.at(v, path).getNumberValue();
    }

    @Test
    void aNullDiskRunsARandomReadJobAndTheResultComesBackAsJson() throws Exception {
        Value r = bench("bb-null", "vdev=xvda, target=null:256M", "rw=randread bs=4k iodepth=32 runtime=2 dev=xvda");
        assertEquals("randread", Json.at(r, "rw").getStringValue());
        assertTrue(number(r, "reads") > 1000, r.toString());
        assertEquals(0, number(r, "errors", "io"));
        assertTrue(number(r, "lat_ns", "p99") >= number(r, "lat_ns", "p50"), r.toString());
        String console = host.consoleLog("bb-null");
        assertTrue(console.contains("blkfront: xvda: virtio-blk, 524288 sectors (256 MiB), read-write"), console);
        assertTrue(console.contains("blkbench: latency us: p50 "), console);
    }

    @Test
    void verifiedWritesAreOnTheImageWhenCheckedFromTheHostAndReadBackByAnotherGuest() throws Exception {
        Path img = image("verify.img", 8 << 20);
        Value w = bench("bb-write", "format=raw, vdev=xvda, access=rw, target=" + img,
                "rw=randwrite bs=16k iodepth=16 verify=crc32c fsync=8 dev=xvda");
        assertEquals(512, number(w, "writes"), "one pass: every 16 KiB block once");
        assertEquals(0, number(w, "errors", "verify"), w.toString());
        assertTrue(number(w, "flushes") >= 63, w.toString());
        byte[] data = Files.readAllBytes(img);
        assertNull(VerifyPattern.check(data, data.length, 0, null), "every sector whole and in its place");

        Value r = bench("bb-read", img + ",raw,xvda,r", "rw=read bs=64k iodepth=8 verify=crc32c dev=xvda");
        assertEquals(0, number(r, "errors", "verify"), r.toString());
        assertEquals((8 << 20) / 512, number(r, "verified_sectors"));
        assertTrue(host.consoleLog("bb-read").contains("read-only"), "attached with access=r");
    }

    @Test
    void severalGuestsRunVerifiedWorkloadsAtOnceOnTheirOwnImages() throws Exception {
        List<String> names = List.of("bb-a", "bb-b", "bb-c");
        for (String n : names) {
            guests.start(n, "blkbench rw=randrw bs=8k iodepth=8 verify=crc32c fsync=4 dev=xvda", PRESERVE,
                    "disk = [ 'format=raw, vdev=xvda, access=rw, target=" + image(n + ".img", 4 << 20) + "' ]");
        }
        for (String n : names) {
            guests.await(n, DomainInfo::getShutdown, "blkbench in " + n);
            Value r = Json.parse(host.xl("workload-result", n).expectOk().out());
            assertEquals(512 + number(r, "writes"), number(r, "ios"), "a pass, then its writes read back: " + n + ": " + r);
            assertEquals(number(r, "writes") * 16, number(r, "verified_sectors"), n + ": " + r);
            assertEquals(0, number(r, "errors", "io") + number(r, "errors", "verify"), n + ": " + r);
        }
    }

    @Test
    void aDiskAttachedToARunningGuestConnectsAndDetachesCleanly() throws Exception {
        int domid = guests.create("bb-hot", "idle");
        host.xl("block-attach", "bb-hot", "vdev=xvdb, target=null:64M").expectOk();
        guests.awaitConsole("bb-hot", "blkfront: xvdb: virtio-blk, 131072 sectors (64 MiB)");
        List<String> rows = host.xl("block-list", "bb-hot").expectOk().outLines();
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith(String.format("%-5d %-3d %-6d %-5d ", 51728, 0, domid, 4)), rows.get(1));
        assertEquals(List.of("Error: Device xvdc not connected."),
                host.xl("block-detach", "bb-hot", "xvdc").expectExit(1).errLines());
        host.xl("block-detach", "bb-hot", "xvdb").expectOk();
        assertEquals(1, host.xl("block-list", "bb-hot").expectOk().outLines().size(), "only the header");
        Run bad = host.xl("block-attach", "bb-hot", "vdev=xvdb, target=" + host.home().resolve("missing.img"));
        assertEquals(1, bad.exit());
        assertEquals("libxl_device_disk_add failed.", bad.errLines().getLast());
        assertTrue(bad.errLines().getFirst().contains("the backend refused it"), bad.err());
        assertEquals(1, host.xl("block-list", "bb-hot").expectOk().outLines().size(), "nothing left of it");
        destroy(domid);
    }

    private static void destroy(int domid) throws Exception {
        host.xl("destroy", Integer.toString(domid)).expectOk();
    }
}
