package org.hvsim.domu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.domu.blkbench.BlkBenchJob;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cmdline.CommandLineException;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.domu.testing.KernelHost.StoreGuest;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code app=blkbench}: its parameters, and what it does when there is no disk to run on. */
class BlkBenchAppTest {
    private static final String BACKEND = "/local/domain/0/backend/vbd/%d/51712";
    private KernelHost host;

    @AfterEach
    void close() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    private static App make(String cmdline) {
        CommandLine cl = CommandLine.parse(cmdline);
        return Apps.find("blkbench").orElseThrow().factory().apply(cl);
    }

    @Test
    void itIsRegisteredWithTheJobsParameters() {
        assertEquals(BlkBenchJob.PARAMETERS, Apps.find("blkbench").orElseThrow().parameters());
        BlkBenchJob job = ((BlkBenchApp) make("app=blkbench rw=randwrite bs=8k iodepth=4 dev=xvdb fsync=16"))
                .job();
        assertEquals("randwrite", job.rw().text());
        assertEquals(8192, job.blockSize());
        assertEquals(4, job.ioDepth());
        assertEquals("xvdb", job.device());
        assertEquals(16, job.fsyncEvery());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rw=sideways | rw=sideways is not one of read, write, randread, randwrite, randrw",
        "bs=1000 | bs=1000 is not a multiple of 512 bytes",
        "bs=2m | bs=2m is outside 512..1048576 bytes",
        "verify=md5 | verify=md5 is not crc32c or none",
        "size=1000 | size=1000 is not a multiple of 512 bytes"})
    void aBadParameterIsACommandLineErrorNamingIt(String param, String message) {
        CommandLineException e = assertThrows(CommandLineException.class, () -> make("app=blkbench " + param));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aBadIodepthIsRefused() {
        CommandLineException e = assertThrows(CommandLineException.class, () -> make("app=blkbench iodepth=0"));
        assertTrue(e.getMessage().startsWith("iodepth=0"), e.getMessage());
    }

    @Test
    void onABadCommandLineTheKernelSaysWhyAndCrashes() throws Exception {
        host = KernelHost.start(1);
        Domain d = host.boot("app=blkbench bs=1000", 8, 1);
        host.console(d).await("minios: bad command line: bs=1000 is not a multiple of 512 bytes", 10_000);
        TestHost.await(d::isShutdown, 10_000, "the crash");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
    }

    @Test
    void withoutXenstoreThereIsNoDiskAndTheDomainCrashes() throws Exception {
        host = KernelHost.start(1);
        Domain d = host.boot("app=blkbench", 8, 1);
        host.console(d).await("blkbench: this domain has no xenstore ring, so no block devices", 10_000);
        TestHost.await(d::isShutdown, 10_000, "the crash");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
    }

    /**
     * The frontend on a real hypervisor: it grants its ring pages and allocates its port, publishes them and goes
     * Initialised; the backend (the test, through xenstored) refuses; the frontend closes, ending its grants, and
     * blkbench reports the refusal and crashes the domain.
     */
    @Test
    void aDiskWhoseBackendRefusesIsReportedAndTheDomainCrashes() throws Exception {
        host = KernelHost.start(1);
        StoreGuest g = host.bootWithXenstore("app=blkbench dev=xvda", 16, 1, x -> {
            String be = BACKEND.formatted(x.domid());
            x.write("device/vbd/51712/backend", be);
            x.write("device/vbd/51712/backend-id", "0");
            x.write("device/vbd/51712/virtual-device", "51712");
            x.write("device/vbd/51712/state", "1");
            x.write(be + "/dev", "xvda");
            x.write(be + "/state", "1");
        });
        String be = BACKEND.formatted(g.domain().domid());
        var x = g.xenstored();
        x.write(be + "/virtio-device-id", "2");
        x.write(be + "/virtio-device-features", "3" + "00000000");   // VERSION_1 | ACCESS_PLATFORM
        x.write(be + "/virtio-config", "00".repeat(72).replaceFirst("^0000", "0008"));   // 2048 sectors
        x.write(be + "/virtio-queue-max-size", "64");
        x.write(be + "/state", "2");
        x.await(s -> "3".equals(s.value("device/vbd/51712/state").orElse(null)), 10_000, "Initialised");
        assertEquals("300000000", x.value("device/vbd/51712/virtio-driver-features").orElseThrow());
        assertEquals("64", x.value("device/vbd/51712/queue-0/size").orElseThrow());
        for (String key : List.of("queue-0/desc-ref", "queue-0/avail-ref", "queue-0/used-ref", "event-channel")) {
            assertTrue(Integer.parseInt(x.value("device/vbd/51712/" + key).orElseThrow()) > 0, key);
        }
        x.write(be + "/virtio-error", "no such image");
        x.write(be + "/state", "5");
        x.await(s -> "5".equals(s.value("device/vbd/51712/state").orElse(null)), 10_000, "Closing");
        x.write(be + "/state", "6");
        GuestConsole console = host.console(g.domain());
        String seen = console.await("blkbench: xvda did not connect: backend refused: \"no such image\"", 10_000);
        TestHost.await(g.domain()::isShutdown, 10_000, "the crash");
        assertEquals(ShutdownReason.CRASH.code(), g.domain().shutdownReason());
        assertTrue(seen.contains("blkbench: waiting up to 30 s for xvda to connect"), seen);
        assertTrue(seen.contains("blkfront: xvda: backend closing (virtio-error \"no such image\")"), seen);
    }
}
