package org.hvsim.dom0.toolstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.xen.InProcessDom0;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.hv.testing.TestKernel;
import org.hvsim.hv.testing.TestKernels;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.LifecycleAction;
import org.hvsim.proto.control.SourceLocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The toolstack on a real in-process hypervisor, with the test kernel as the built-in "minios". */
class ToolstackTest {
    private final InProcessDom0 dom0;
    private final Path home;
    private Xenconsoled consoles;
    private Xenstored xenstored;
    private Toolstack ts;

    ToolstackTest() throws Exception {
        dom0 = InProcessDom0.start(2, 512);
        home = dom0.host().dir().resolve("home");
        Path kernels = Files.createDirectories(home.resolve("kernels"));
        Files.move(TestKernels.jarOf(dom0.host().dir(), TestKernel.class), kernels.resolve("minios.jar"));
        open(false);
    }

    private void open(boolean recover) throws Exception {
        consoles = new Xenconsoled(dom0.platform(), home.resolve("log/console"));
        StoreRings rings = new StoreRings(dom0.platform());
        xenstored = Xenstored.builder().introducer(rings).build();
        ts = new Toolstack(dom0.platform(), home, new KernelResolver(home.resolve("kernels")), consoles, xenstored, rings);
        ts.start(recover);
    }

    @AfterEach
    void close() throws Exception {
        try {
            ts.close();
            xenstored.close();
            consoles.close();
            dom0.host().destroyGuests();
            assertEquals(List.of(), dom0.host().invariants());
        } finally {
            dom0.close();
        }
    }

    private static DomainConfig.Builder config(String name, String cmdline) {
        return DomainConfig.newBuilder().setName(name).setCmdline(cmdline).setTargetMemkb(8 << 10);
    }

    private boolean gone(int domid) {
        return ts.domains().stream().noneMatch(i -> i.domain() == domid);
    }

    private String consoleLog(String name) throws Exception {
        Path log = Xenconsoled.logFile(home.resolve("log/console"), name);
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void helloRunsWritesItsConsoleAndIsDestroyedOnPoweroff() throws Exception {
        int domid = ts.create(config("hello", "hello").build(), false).domid();
        TestHost.await(() -> gone(domid), 10_000, "on_poweroff=destroy");
        assertTrue(consoleLog("hello").contains("hello from the test kernel on vcpu0"), consoleLog("hello"));
        assertThrows(ConfigException.class, () -> ts.resolve("hello"));
    }

    @Test
    void badConfigurationsAreRefusedAndLeaveNothingBehind() throws Exception {
        long free = ts.xc().physinfo().freePages();
        ts.create(config("taken", "idle").build(), false);
        long freeAfterOne = ts.xc().physinfo().freePages();
        ConfigException dup = assertThrows(ConfigException.class, () -> ts.create(config("taken", "idle").build(), false));
        assertEquals(ConfigException.Kind.ALREADY_EXISTS, dup.kind());
        ConfigException vcpus = assertThrows(ConfigException.class, () -> ts.create(config("a", "idle").setVcpus(0)
                .putLocations("vcpus", SourceLocation.newBuilder().setFile("a.cfg").setLine(3).setColumn(8).build()).build(), false));
        assertEquals("vcpus", vcpus.key());
        ConfigException maxmem = assertThrows(ConfigException.class, () -> ts.create(config("a", "idle").setMaxMemkb(4 << 10).build(), false));
        assertEquals("maxmem", maxmem.key());
        ConfigException big = assertThrows(ConfigException.class, () -> ts.create(config("a", "idle").setTargetMemkb(1L << 30).build(), false));
        assertEquals(ConfigException.Kind.RESOURCE_EXHAUSTED, big.kind());
        ConfigException kernel = assertThrows(ConfigException.class, () -> ts.create(config("a", "idle").setKernel("/boot/vmlinuz").build(), false));
        assertEquals("kernel", kernel.key());
        assertTrue(kernel.getMessage().contains("/boot/vmlinuz"));
        ConfigException builtin = assertThrows(ConfigException.class, () -> ts.create(config("a", "idle").setKernel("linux").build(), false));
        assertTrue(builtin.getMessage().contains("built-in: minios"), builtin.getMessage());
        assertEquals(freeAfterOne, ts.xc().physinfo().freePages(), "refused creations take no memory");
        assertEquals(2, ts.domains().size());
        ts.destroy("taken", false);
        TestHost.await(() -> ts.domains().size() == 1, 10_000, "destroy");
        assertEquals(free, ts.xc().physinfo().freePages());
    }

    @Test
    void crashPreservedStaysListedAsCrashed() throws Exception {
        int domid = ts.create(config("c", "crash").setOnCrash(LifecycleAction.LIFECYCLE_ACTION_PRESERVE).build(), false).domid();
        TestHost.await(() -> ts.domains().stream().anyMatch(i -> i.domain() == domid && Toolstack.isShutdown(i)), 10_000, "crash");
        GetDomainInfo info = ts.domains().stream().filter(i -> i.domain() == domid).findFirst().orElseThrow();
        assertEquals(ShutdownReason.CRASH.code(), Toolstack.shutdownReason(info));
        assertEquals(domid, ts.resolve("c"));
    }

    @Test
    void rebootRestartsUnderTheSameNameAndUuidThenStopsAStorm() throws Exception {
        Toolstack.CreatedDomain first = ts.create(config("r", "reason=" + ShutdownReason.REBOOT.code()).build(), false);
        TestHost.await(() -> {
            try {
                return ts.resolve("r") != first.domid();
            } catch (ConfigException e) {
                return false;
            }
        }, 10_000, "a restart");
        assertEquals(first.uuid(), ts.configOf(ts.resolve("r")).orElseThrow().getUuid());
        TestHost.await(() -> {
            try {
                return ts.recentRestarts(first.uuid()) == LifecycleHandler.MAX_RESTARTS && ts.domains().size() == 1;
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }, 20_000, "the restart storm guard to give up");
        assertThrows(ConfigException.class, () -> ts.resolve("r"));
    }

    @Test
    void renameRestartPreservesTheOldDomainUnderATimestampedName() throws Exception {
        int first = ts.create(config("rr", "reason=" + ShutdownReason.REBOOT.code())
                .setOnReboot(LifecycleAction.LIFECYCLE_ACTION_RESTART_RENAME).build(), false).domid();
        TestHost.await(() -> ts.nameOf(first).startsWith("rr-"), 10_000, "the old domain to be renamed");
        assertTrue(ts.nameOf(first).matches("rr-\\d{8}T\\d{4}Z"), ts.nameOf(first));
        assertNotEquals(first, ts.resolve(ts.nameOf(first)) + 1);
    }

    @Test
    void renameRestartLeavesTheDomainInPlaceWhenThePreservedNameIsTaken() throws Exception {
        // The guest reboots at once, every time: a reboot within the same minute as the last finds the
        // timestamped name taken, so (as when xl's preserve_domain fails) that domain stays, shut down, as "rr".
        Toolstack.CreatedDomain first = ts.create(config("rr", "reason=" + ShutdownReason.REBOOT.code())
                .setOnReboot(LifecycleAction.LIFECYCLE_ACTION_RESTART_RENAME).build(), false);
        TestHost.await(() -> {
            try {
                int rr = ts.resolve("rr");
                if (rr == first.domid() || !Toolstack.isShutdown(ts.xc().getDomainInfo(rr))) {
                    return false;
                }
                ts.queueReconcile();
                ts.recentRestarts(first.uuid()); // runs after that reconcile: this reboot has been handled
                return ts.resolve("rr") == rr;
            } catch (ConfigException | RuntimeException e) {
                return false;
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }, 10_000, "a restarted rr to reboot and be left in place");
        List<String> names = ts.domains().stream().map(i -> ts.nameOf(i.domain())).toList();
        assertEquals(names.size(), names.stream().distinct().count(), "names are unique: " + names);
        assertTrue(ts.nameOf(first.domid()).matches("rr-\\d{8}T\\d{4}Z"), ts.nameOf(first.domid()));
        assertEquals(ShutdownReason.REBOOT.code(), Toolstack.shutdownReason(ts.xc().getDomainInfo(ts.resolve("rr"))));
    }

    /** The domain's {@code cpu/<i>/availability} values, vCPU 0 first. */
    private List<String> availability(int domid, int maxVcpus) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < maxVcpus; i++) {
            out.add(xenstored.client().readString(XenstoreLayout.vcpuAvailabilityPath(domid, i)));
        }
        return out;
    }

    @Test
    void vcpuSetWritesEveryVcpusAvailabilityAndRefusesWhatLibxlRefuses() throws Exception {
        int domid = ts.create(config("hotplug", "idle").setVcpus(1).setMaxVcpus(3).build(), false).domid();
        assertEquals(List.of("online", "offline", "offline"), availability(domid, 3), "as created");
        ts.setVcpuOnline("hotplug", 3);
        assertEquals(List.of("online", "online", "online"), availability(domid, 3));
        ts.setVcpuOnline(Integer.toString(domid), 1);
        assertEquals(List.of("online", "offline", "offline"), availability(domid, 3));
        ts.setVcpuOnline("hotplug", 2);
        assertEquals(List.of("online", "online", "offline"), availability(domid, 3));

        ConfigException zero = assertThrows(ConfigException.class, () -> ts.setVcpuOnline("hotplug", 0));
        assertEquals("Requested 0 VCPUs!", zero.getMessage());
        assertEquals(ConfigException.Kind.INVALID, zero.kind());
        ConfigException four = assertThrows(ConfigException.class, () -> ts.setVcpuOnline("hotplug", 4));
        assertEquals("Requested 4 VCPUs, however maxcpus is 3!", four.getMessage());
        ConfigException huge = assertThrows(ConfigException.class, () -> ts.setVcpuOnline("hotplug", 0xffff_ffffL));
        assertEquals("Requested 4294967295 VCPUs, however maxcpus is 3!", huge.getMessage());
        assertEquals(List.of("online", "online", "offline"), availability(domid, 3), "a refusal writes nothing");

        assertEquals(ConfigException.Kind.NOT_FOUND,
                assertThrows(ConfigException.class, () -> ts.setVcpuOnline("nobody", 1)).kind());
        assertEquals(ConfigException.Kind.INVALID,
                assertThrows(ConfigException.class, () -> ts.setVcpuOnline("Domain-0", 1)).kind());
    }

    @Test
    void disksGetLibxlsFrontendBackendAndBookkeepingDirectoriesAndGoWithTheDomain() throws Exception {
        int domid = ts.create(config("disky", "idle")
                .addDisks(org.hvsim.proto.control.DiskSpec.newBuilder().setVdev("xvda").setVirtualDevice(51712)
                        .setTarget("/srv/a.img").setReadwrite(true))
                .addDisks(org.hvsim.proto.control.DiskSpec.newBuilder().setVdev("xvdb").setVirtualDevice(51728)
                        .setTarget("null:1G").setReadwrite(false).setDiscard(false))
                .build(), false).domid();
        var xs = xenstored.client();
        String fe = "/local/domain/" + domid + "/device/vbd/51712";
        String be = "/local/domain/0/backend/vbd/" + domid + "/51712";
        assertEquals(be, xs.readString(fe + "/backend"));
        assertEquals("0", xs.readString(fe + "/backend-id"));
        assertEquals("1", xs.readString(fe + "/state"));
        assertEquals("51712", xs.readString(fe + "/virtual-device"));
        assertEquals("disk", xs.readString(fe + "/device-type"));
        assertEquals(fe, xs.readString(be + "/frontend"));
        assertEquals(Integer.toString(domid), xs.readString(be + "/frontend-id"));
        assertEquals("1", xs.readString(be + "/online"));
        assertEquals("1", xs.readString(be + "/state"));
        assertEquals("xvda", xs.readString(be + "/dev"));
        assertEquals("w", xs.readString(be + "/mode"));
        assertEquals("/srv/a.img", xs.readString(be + "/params"));
        assertEquals("r", xs.readString("/local/domain/0/backend/vbd/" + domid + "/51728/mode"));
        assertEquals("0", xs.readString("/local/domain/0/backend/vbd/" + domid + "/51728/discard-enable"));
        assertEquals(fe, xs.readString("/libxl/" + domid + "/device/vbd/51712/frontend"));
        assertEquals(List.of(new org.hvsim.dom0.xenstore.store.XsPermission(domid,
                        org.hvsim.dom0.xenstore.store.XsPermission.NONE),
                new org.hvsim.dom0.xenstore.store.XsPermission(0, org.hvsim.dom0.xenstore.store.XsPermission.READ)),
                xs.getPerms(fe), "the guest owns its frontend; the backend reads it");
        assertEquals(List.of(new org.hvsim.dom0.xenstore.store.XsPermission(0,
                        org.hvsim.dom0.xenstore.store.XsPermission.NONE),
                new org.hvsim.dom0.xenstore.store.XsPermission(domid, org.hvsim.dom0.xenstore.store.XsPermission.READ)),
                xs.getPerms(be), "dom0 owns the backend; the guest reads it");

        List<VbdLayout.Info> disks = ts.disks("disky");
        assertEquals(List.of(new VbdLayout.Info(51712, "xvda", 0, domid, 1, -1, -1, be),
                new VbdLayout.Info(51728, "xvdb", 0, domid, 1, -1, -1, "/local/domain/0/backend/vbd/" + domid + "/51728")),
                disks, "no backend has connected: Initialising, no event channel or ring yet");
        xs.write(fe + "/queue-0/desc-ref", "17,18");
        xs.write(fe + "/event-channel", "5");
        assertEquals(new VbdLayout.Info(51712, "xvda", 0, domid, 1, 5, 17, be), ts.disks("disky").getFirst(),
                "a virtio frontend's ring is its descriptor table's first grant ref");

        ts.destroy("disky", false);
        assertEquals(List.of(), xs.directory("/local/domain/0/backend/vbd").stream()
                .filter(d -> d.equals(Integer.toString(domid))).toList(), "its backend directories are gone");
    }

    /** Plays a disk backend: InitWait when a backend directory appears, Closed when told to close. */
    private Thread fakeBackend(int domid, int devid, java.util.concurrent.atomic.AtomicBoolean stop) {
        var xs = xenstored.client();
        String state = "/local/domain/0/backend/vbd/" + domid + "/" + devid + "/state";
        return Thread.ofPlatform().daemon().start(() -> {
            while (!stop.get()) {
                String s = BackendStateWait.read(xs, state) < 0 ? "" : xs.readString(state);
                if (s.equals("1")) {
                    xs.write(state, "2");
                } else if (s.equals("5")) {
                    xs.write(state, "6");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        });
    }

    private static org.hvsim.proto.control.DiskSpec disk(String vdev, int devid) {
        return org.hvsim.proto.control.DiskSpec.newBuilder().setVdev(vdev).setVirtualDevice(devid).setTarget("null:1G")
                .setReadwrite(true).build();
    }

    @Test
    void blockAttachWaitsForTheBackendAndDetachForItToCloseAndBothRefuseWhatLibxlRefuses() throws Exception {
        int domid = ts.create(config("attach", "idle").build(), false).domid();
        ts.deviceTimeout(Duration.ofMillis(300));
        ConfigException noBackend = assertThrows(ConfigException.class, () -> ts.attachDisk("attach", disk("xvda", 51712)));
        assertEquals(ConfigException.Kind.FAILED_PRECONDITION, noBackend.kind());
        assertEquals("unable to add device with path /local/domain/0/backend/vbd/" + domid + "/51712: its backend did "
                + "not answer within 300 ms", noBackend.getMessage());
        assertEquals(List.of(), ts.disks("attach"), "what the failed attach laid out is gone");

        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread backend = fakeBackend(domid, 51712, stop);
        try {
            ts.deviceTimeout(Duration.ofSeconds(30));
            ts.attachDisk("attach", disk("xvda", 51712));
            assertEquals(List.of(51712), ts.disks("attach").stream().map(VbdLayout.Info::devid).toList());
            ConfigException twice = assertThrows(ConfigException.class, () -> ts.attachDisk("attach", disk("xvda", 51712)));
            assertEquals(ConfigException.Kind.ALREADY_EXISTS, twice.kind());
            assertEquals(ConfigException.Kind.NOT_FOUND,
                    assertThrows(ConfigException.class, () -> ts.detachDisk("attach", "xvdz", false)).kind());
            assertEquals("Error: Device 51713 not connected.",
                    assertThrows(ConfigException.class, () -> ts.detachDisk("attach", "51713", false)).getMessage());
            ts.detachDisk("attach", "xvda", false);   // the backend closes; then the directories go
            assertEquals(List.of(), ts.disks("attach"));
        } finally {
            stop.set(true);
            backend.join();
        }
        ts.deviceTimeout(Duration.ofMillis(200));
        xenstored.client().transaction(t -> {
            VbdLayout.addIn(t, domid, disk("xvdb", 51728));
            return null;
        });
        ts.detachDisk("attach", "xvdb", false);   // no backend: removed anyway after the timeout
        assertEquals(List.of(), ts.disks("attach"));
        xenstored.client().transaction(t -> {
            VbdLayout.addIn(t, domid, disk("xvdc", 51744));
            return null;
        });
        ts.deviceTimeout(Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        ts.detachDisk("attach", "51744", true);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos(), "forced: no wait for a backend");
        assertEquals(List.of(), ts.disks("attach"));

        assertEquals(ConfigException.Kind.INVALID, assertThrows(ConfigException.class,
                () -> ts.attachDisk("attach", disk("", 0))).kind());
        assertEquals(ConfigException.Kind.INVALID, assertThrows(ConfigException.class,
                () -> ts.attachDisk("Domain-0", disk("xvda", 51712))).kind());
    }

    @Test
    void pauseUnpauseRenameShutdownByName() throws Exception {
        int domid = ts.create(config("idler", "idle").build(), false).domid();
        ts.pause("idler");
        assertTrue((ts.xc().getDomainInfo(domid).flags() & org.hvsim.hv.abi.Domctl.DOMINF_PAUSED) != 0);
        ts.unpause(Integer.toString(domid));
        ts.rename("idler", "sleeper");
        assertEquals(domid, ts.resolve("sleeper"));
        assertThrows(ConfigException.class, () -> ts.resolve("idler"));
        TestHost.await(() -> {
            try {
                return consoleLog("sleeper").contains("idle");
            } catch (Exception e) {
                return false;
            }
        }, 10_000, "the log to follow the rename");
        ConfigException noPv = assertThrows(ConfigException.class,
                () -> ts.shutdown("sleeper", ShutdownReason.POWEROFF, true, true, Duration.ofSeconds(10), false));
        assertEquals(Toolstack.PV_CONTROL_UNAVAILABLE, noPv.getMessage(), "the test kernel has no xenbus");
        ts.shutdown("sleeper", ShutdownReason.POWEROFF, true, true, Duration.ofSeconds(10), true);
        assertTrue(gone(domid));
    }

    @Test
    void coredumpDestroyWritesAnElfCore() throws Exception {
        int domid = ts.create(config("dumped", "crash").setTargetMemkb(4 << 10)
                .setOnCrash(LifecycleAction.LIFECYCLE_ACTION_COREDUMP_DESTROY).build(), false).domid();
        TestHost.await(() -> gone(domid), 10_000, "coredump then destroy");
        byte[] core = Files.readAllBytes(home.resolve("dump/dumped"));
        assertEquals(0x7f, core[0]);
        assertEquals('E', core[1]);
        assertTrue(core.length >= (4 << 20), "4 MiB of memory dumped: " + core.length);
    }

    @Test
    void aRestartedDom0RecoversItsDomains() throws Exception {
        int idle = ts.create(config("survivor", "idle").build(), false).domid();
        int paused = ts.create(config("held", "idle").build(), true).domid();
        ts.close();
        xenstored.close();
        consoles = null;
        dom0.restartDom0();
        open(true);
        assertEquals(idle, ts.resolve("survivor"));
        assertEquals(paused, ts.resolve("held"));
        assertTrue(consoles.isAttached(idle));
        ts.destroy("survivor", false);
        ts.destroy("held", false);
        TestHost.await(() -> ts.domains().size() == 1, 10_000, "both destroyed, old console mappings cleared");
        assertFalse(Files.list(home.resolve("toolstack")).findAny().isPresent(), "records removed");
    }
}
