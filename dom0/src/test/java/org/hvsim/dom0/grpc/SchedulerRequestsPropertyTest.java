package org.hvsim.dom0.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.toolstack.KernelResolver;
import org.hvsim.dom0.toolstack.StoreRings;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.dom0.toolstack.XenstoreLayout;
import org.hvsim.dom0.trace.SchedTraceRecorder;
import org.hvsim.dom0.xen.InProcessDom0;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.hv.boot.Dom0HostInspection;
import org.hvsim.hv.sched.credit.CreditPolicy;
import org.hvsim.hv.testing.TestKernel;
import org.hvsim.hv.testing.TestKernels;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.DomainServiceGrpc;
import org.hvsim.proto.control.GetSchedCreditRequest;
import org.hvsim.proto.control.RecordSchedTraceRequest;
import org.hvsim.proto.control.SchedCreditDomain;
import org.hvsim.proto.control.SchedCreditPool;
import org.hvsim.proto.control.SchedulerServiceGrpc;
import org.hvsim.proto.control.SetSchedCreditPoolRequest;
import org.hvsim.proto.control.SetSchedCreditRequest;
import org.hvsim.proto.control.SchedTraceChunk;
import org.hvsim.proto.control.SetVcpuAffinityRequest;
import org.hvsim.proto.control.SetVcpuOnlineRequest;
import org.hvsim.proto.control.TraceServiceGrpc;

/**
 * Whatever a client sends SchedulerService or DomainService.SetVcpuAffinity and SetVcpuOnline (any domain
 * strings, weights, caps, pool values, vCPUs, CPU sets and vCPU counts), it gets an answer or INVALID_ARGUMENT /
 * NOT_FOUND, never another code or an escaping exception; and a refused request changes nothing. TraceService's
 * RecordSchedTrace, for any duration, streams header, records, footer or is INVALID_ARGUMENT, and admits one
 * recording at a time. Over a real toolstack on an in-process hypervisor running the credit policy, with dom0
 * (1 vCPU) and one idle guest ({@value #GUEST}: 1 of 3 vCPUs online at creation) on 2 pCPUs.
 */
class SchedulerRequestsPropertyTest {
    private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);
    private static final String GUEST = "guest";
    private static final int GUEST_MAX_VCPUS = 3;

    private static InProcessDom0 dom0;
    private static Xenconsoled consoles;
    private static Xenstored xenstored;
    private static Toolstack ts;
    private static int guest;
    private static Server server;
    private static ManagedChannel channel;

    @BeforeContainer
    static void start() throws Exception {
        dom0 = InProcessDom0.start(2, 256, new CreditPolicy());
        Path home = dom0.host().dir().resolve("home");
        Files.createDirectories(home.resolve("kernels"));
        Files.move(TestKernels.jarOf(dom0.host().dir(), TestKernel.class), home.resolve("kernels/minios.jar"));
        consoles = new Xenconsoled(dom0.platform(), home.resolve("log/console"));
        StoreRings rings = new StoreRings(dom0.platform());
        xenstored = Xenstored.builder().introducer(rings).build();
        ts = new Toolstack(dom0.platform(), home, new KernelResolver(home.resolve("kernels")), consoles, xenstored, rings);
        ts.start(false);
        guest = ts.create(DomainConfig.newBuilder().setName(GUEST).setCmdline("idle").setTargetMemkb(8 << 10)
                .setVcpus(1).setMaxVcpus(GUEST_MAX_VCPUS).build(), false).domid();
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new SchedulerServiceImpl(ts))
                .addService(new DomainServiceImpl(ts, consoles, 0))
                .addService(new TraceServiceImpl(ts, new SchedTraceRecorder(
                        Dom0HostInspection.of(dom0.host().hv())::traceSched)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            channel.shutdownNow();
            server.shutdownNow();
            ts.close();
            xenstored.close();
            consoles.close();
        } finally {
            dom0.close();
        }
    }

    private static Arbitrary<String> domains() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("0", "Domain-0", GUEST)),
                Tuple.of(2, Arbitraries.of("", "1", "-1", "4294967295", "domain-0", "\u0000", "99999999999")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)));
    }

    private static Arbitrary<Integer> anyInt(int... usual) {
        Arbitrary<Integer> picks = Arbitraries.of(java.util.Arrays.stream(usual).boxed().toList());
        return Arbitraries.frequencyOf(Tuple.of(4, picks), Tuple.of(1, Arbitraries.integers()));
    }

    private static Arbitrary<CpuSet> cpuSets() {
        Arbitrary<CpuSet> listed = Arbitraries.integers().between(-2, 6).list().ofMaxSize(4)
                .map(cpus -> CpuSet.newBuilder().addAllCpus(cpus).build());
        Arbitrary<CpuSet> all = Arbitraries.integers().between(-1, 3).list().ofMaxSize(3)
                .map(ex -> CpuSet.newBuilder().setAll(true).addAllExcluded(ex).build());
        return Arbitraries.oneOf(listed, all, Arbitraries.integers().list().ofMaxSize(3)
                .map(cpus -> CpuSet.newBuilder().addAllCpus(cpus).build()));
    }

    @Provide
    Arbitrary<SetSchedCreditRequest> credit() {
        return net.jqwik.api.Combinators.combine(domains(), anyInt(0, 1, 256, 65535, 65536, -1),
                anyInt(0, 100, 200, 201, -1, 65535), Arbitraries.of(0, 1, 2, 3)).as((d, w, c, which) -> {
                    SetSchedCreditRequest.Builder b = SetSchedCreditRequest.newBuilder().setDomain(d);
                    if ((which & 1) != 0) {
                        b.setWeight(w);
                    }
                    if ((which & 2) != 0) {
                        b.setCap(c);
                    }
                    return b.build();
                });
    }

    @Provide
    Arbitrary<SetSchedCreditPoolRequest> pool() {
        return net.jqwik.api.Combinators.combine(anyInt(0, 1, 30, 1000, 1001), anyInt(0, 99, 100, 1000, 500000, 500001),
                anyInt(0, 100000, 100001), Arbitraries.integers().between(0, 7)).as((t, r, m, which) -> {
                    SetSchedCreditPoolRequest.Builder b = SetSchedCreditPoolRequest.newBuilder();
                    if ((which & 1) != 0) {
                        b.setTsliceMs(t);
                    }
                    if ((which & 2) != 0) {
                        b.setRatelimitUs(r);
                    }
                    if ((which & 4) != 0) {
                        b.setMigrationDelayUs(m);
                    }
                    return b.build();
                });
    }

    @Provide
    Arbitrary<SetVcpuAffinityRequest> affinity() {
        return net.jqwik.api.Combinators.combine(domains(), anyInt(-1, 0, 1, 2, -2), cpuSets(), cpuSets(),
                Arbitraries.of(0, 1, 2, 3)).as((d, v, h, s, which) -> {
                    SetVcpuAffinityRequest.Builder b = SetVcpuAffinityRequest.newBuilder().setDomain(d).setVcpu(v);
                    if ((which & 1) != 0) {
                        b.setHard(h);
                    }
                    if ((which & 2) != 0) {
                        b.setSoft(s);
                    }
                    return b.build();
                });
    }

    @Provide
    Arbitrary<SetVcpuOnlineRequest> online() {
        return net.jqwik.api.Combinators.combine(domains(), anyInt(0, 1, 2, 3, 4, -1))
                .as((d, n) -> SetVcpuOnlineRequest.newBuilder().setDomain(d).setCount(n).build());
    }

    /** The guest's {@code cpu/<i>/availability} values. */
    private static List<String> guestAvailability() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < GUEST_MAX_VCPUS; i++) {
            out.add(xenstored.client().readString(XenstoreLayout.vcpuAvailabilityPath(guest, i)));
        }
        return out;
    }

    private static SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler() {
        return SchedulerServiceGrpc.newBlockingStub(channel);
    }

    private static List<SchedCreditDomain> dom0Params() {
        return scheduler().getSchedCredit(GetSchedCreditRequest.newBuilder().setDomain("0").build()).getDomainsList();
    }

    private static SchedCreditPool poolParams() {
        return scheduler().getSchedCredit(GetSchedCreditRequest.getDefaultInstance()).getPool();
    }

    /** Runs {@code call}; a refusal must be one of {@link #REFUSALS} and must leave {@code state} as it was. */
    private static <T> void answeredOrRefusedCleanly(Runnable call, java.util.function.Supplier<T> state) {
        T before = state.get();
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            assertTrue(REFUSALS.contains(e.getStatus().getCode()), e.getStatus().toString());
            assertEquals(before, state.get(), "a refused request changed something: " + e.getStatus());
        }
    }

    @Property(tries = 150)
    void setSchedCredit(@ForAll("credit") SetSchedCreditRequest req) {
        answeredOrRefusedCleanly(() -> scheduler().setSchedCredit(req), SchedulerRequestsPropertyTest::dom0Params);
        SchedCreditDomain now = dom0Params().getFirst();
        assertTrue(now.getWeight() >= 1 && now.getWeight() <= 65535, now.toString());
        assertTrue(now.getCap() <= 100, "dom0 has 1 vCPU: " + now);
    }

    @Property(tries = 150)
    void setSchedCreditPool(@ForAll("pool") SetSchedCreditPoolRequest req) {
        answeredOrRefusedCleanly(() -> scheduler().setSchedCreditPool(req), SchedulerRequestsPropertyTest::poolParams);
        SchedCreditPool now = poolParams();
        assertTrue(now.getTsliceMs() >= 1 && now.getTsliceMs() <= 1000, now.toString());
        assertTrue(now.getRatelimitUs() == 0 || now.getRatelimitUs() >= 100 && now.getRatelimitUs() <= now.getTsliceMs() * 1000L,
                now.toString());
    }

    @Property(tries = 150)
    void setVcpuAffinity(@ForAll("affinity") SetVcpuAffinityRequest req) {
        answeredOrRefusedCleanly(() -> DomainServiceGrpc.newBlockingStub(channel).setVcpuAffinity(req),
                () -> ts.platform().xc().getVcpuAffinity(0, 0, 2));
    }

    @Provide
    Arbitrary<Integer> durations() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(1, 30)),
                Tuple.of(2, Arbitraries.of(0, 3_600_001, -1, Integer.MIN_VALUE)),
                Tuple.of(1, Arbitraries.integers().filter(d -> d < 1 || d > 3_600_000)));
    }

    @Property(tries = 60)
    void recordSchedTrace(@ForAll("durations") int durationMs) {
        RecordSchedTraceRequest req = RecordSchedTraceRequest.newBuilder().setDurationMs(durationMs).build();
        List<SchedTraceChunk> chunks;
        try {
            chunks = new java.util.ArrayList<>();
            TraceServiceGrpc.newBlockingStub(channel).recordSchedTrace(req).forEachRemaining(chunks::add);
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(durationMs < 1 || durationMs > 3_600_000, "refused " + durationMs + ": " + e.getStatus());
            return;
        }
        assertTrue(durationMs >= 1 && durationMs <= 3_600_000, "recorded for " + durationMs);
        assertTrue(chunks.getFirst().hasHeader(), chunks.getFirst().toString());
        assertEquals(2, chunks.getFirst().getHeader().getNrCpus());
        assertEquals("credit", chunks.getFirst().getHeader().getScheduler());
        assertEquals("Domain-0", chunks.getFirst().getHeader().getDomains(0).getName());
        assertTrue(chunks.getLast().hasFooter(), chunks.getLast().toString());
        long records = 0;
        for (SchedTraceChunk c : chunks.subList(1, chunks.size() - 1)) {
            assertTrue(c.hasRecords(), c.toString());
            assertEquals(0, c.getRecords().getWordsCount() % 3, "whole records");
            records += c.getRecords().getWordsCount() / 3;
        }
        assertEquals(records, chunks.getLast().getFooter().getRecords());
        assertTrue(!dom0.host().hv().scheduler().trace().enabled(), "the trace stops with the recording");
    }

    @net.jqwik.api.Example
    void aSecondRecordingWhileOneRunsIsRefusedAndTheNextAfterItIsNot() throws Exception {
        java.util.concurrent.CompletableFuture<List<SchedTraceChunk>> first = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    List<SchedTraceChunk> out = new java.util.ArrayList<>();
                    TraceServiceGrpc.newBlockingStub(channel).recordSchedTrace(
                            RecordSchedTraceRequest.newBuilder().setDurationMs(1500).build()).forEachRemaining(out::add);
                    return out;
                });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!dom0.host().hv().scheduler().trace().enabled()) {
            assertTrue(System.nanoTime() < deadline, "the first recording did not start");
            Thread.onSpinWait();
        }
        StatusRuntimeException busy = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> TraceServiceGrpc.newBlockingStub(channel).recordSchedTrace(
                        RecordSchedTraceRequest.newBuilder().setDurationMs(5).build()).forEachRemaining(c -> { }));
        assertEquals(Status.Code.FAILED_PRECONDITION, busy.getStatus().getCode());
        assertEquals("a scheduler trace is already being recorded", busy.getStatus().getDescription());
        assertTrue(first.get().getLast().hasFooter());
        List<SchedTraceChunk> next = new java.util.ArrayList<>();
        TraceServiceGrpc.newBlockingStub(channel).recordSchedTrace(
                RecordSchedTraceRequest.newBuilder().setDurationMs(5).build()).forEachRemaining(next::add);
        assertTrue(next.getLast().hasFooter());
    }

    @Property(tries = 150)
    void setVcpuOnline(@ForAll("online") SetVcpuOnlineRequest req) {
        List<String> before = guestAvailability();
        try {
            DomainServiceGrpc.newBlockingStub(channel).setVcpuOnline(req);
        } catch (StatusRuntimeException e) {
            assertTrue(REFUSALS.contains(e.getStatus().getCode()), e.getStatus().toString());
            assertEquals(before, guestAvailability(), "a refused request changed something: " + e.getStatus());
            return;
        }
        long n = Integer.toUnsignedLong(req.getCount());
        assertTrue(n >= 1 && n <= GUEST_MAX_VCPUS, "answered " + req);
        List<String> now = guestAvailability();
        for (int i = 0; i < GUEST_MAX_VCPUS; i++) {
            assertEquals(i < n ? "online" : "offline", now.get(i), "vCPU " + i + " after " + req);
        }
    }

    @Provide
    Arbitrary<String> anyDomain() {
        return domains();
    }

    @Provide
    Arbitrary<String> guestResults() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("{}", "{\"app\":\"blkbench\",\"iops\":1.5}", "[1,2]", "42", "\"s\"", "{",
                        "{\"a\":}", "null", "{\"a\":1}{\"b\":2}")),
                Tuple.of(2, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60).map(t -> "{\"k\":\"" + t + "\"}")),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMinLength(3000).ofMaxLength(3200)
                        .map(t -> "{\"k\":\"" + t.replace("\"", "").replace("\\", "") + "\"}")),
                Tuple.of(2, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80)));
    }

    /**
     * Whatever a guest leaves in data/workload-result, GetWorkloadResult passes it on exactly when it is one JSON
     * object of at most 3072 bytes, and is FAILED_PRECONDITION otherwise; an unknown domain is NOT_FOUND (for
     * ListBlockDevices too).
     */
    @Property(tries = 150)
    void getWorkloadResult(@ForAll("guestResults") String text, @ForAll("anyDomain") String other) {
        xenstored.client().write("/local/domain/" + guest + "/data/workload-result", text);
        boolean valid = text.length() <= 3072 && text.startsWith("{") && isObject(text);
        try {
            String got = DomainServiceGrpc.newBlockingStub(channel).getWorkloadResult(
                    org.hvsim.proto.control.DomainRef.newBuilder().setDomain(GUEST).build()).getJson();
            assertTrue(valid, "passed on " + text);
            assertEquals(text, got);
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(!valid, "refused a valid result: " + text);
        }
        try {
            var disks = DomainServiceGrpc.newBlockingStub(channel).listBlockDevices(
                    org.hvsim.proto.control.DomainRef.newBuilder().setDomain(other).build());
            assertEquals(List.of(), disks.getDevicesList(), "no domain here has disks");
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
        }
        try {
            DomainServiceGrpc.newBlockingStub(channel).getWorkloadResult(
                    org.hvsim.proto.control.DomainRef.newBuilder().setDomain(other).build());
        } catch (StatusRuntimeException e) {
            assertTrue(Set.of(Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION).contains(e.getStatus().getCode()),
                    e.getStatus().toString());
        }
    }

    /** An independent reading of "one JSON object": protobuf's JSON parser into a Value whose kind is a struct. */
    private static boolean isObject(String text) {
        try {
            com.google.protobuf.Value.Builder v = com.google.protobuf.Value.newBuilder();
            com.google.protobuf.util.JsonFormat.parser().merge(text, v);
            return v.hasStructValue();
        } catch (com.google.protobuf.InvalidProtocolBufferException | RuntimeException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<org.hvsim.proto.control.DiskSpec> disks() {
        return net.jqwik.api.Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("xvda", "xvdb", "hda")),
                        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(80))),
                anyInt(0, 51712, 51728, -1, 768),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("null:1G", "/srv/a.img", "")),
                        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(1100))),
                Arbitraries.of(true, false))
                .as((vdev, devid, target, cdrom) -> org.hvsim.proto.control.DiskSpec.newBuilder().setVdev(vdev)
                        .setVirtualDevice(devid).setTarget(target).setCdrom(cdrom).build());
    }

    /**
     * Any AttachBlockDevice or DetachBlockDevice is answered or refused with INVALID_ARGUMENT, NOT_FOUND,
     * ALREADY_EXISTS or FAILED_PRECONDITION (no backend runs here, so a valid attach times out), and leaves the
     * guest with no disk.
     */
    @Property(tries = 80)
    void attachAndDetachBlockDevices(@ForAll("disks") org.hvsim.proto.control.DiskSpec disk,
            @ForAll("anyDomain") String domain, @ForAll("anyDomain") String device) {
        ts.deviceTimeout(java.time.Duration.ofMillis(30));
        Set<Status.Code> allowed = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
                Status.Code.ALREADY_EXISTS, Status.Code.FAILED_PRECONDITION);
        for (String target : List.of(GUEST, domain)) {
            try {
                DomainServiceGrpc.newBlockingStub(channel).attachBlockDevice(org.hvsim.proto.control.AttachBlockDeviceRequest
                        .newBuilder().setDomain(target).setDisk(disk).build());
                throw new AssertionError("attached with no backend to take it: " + disk);
            } catch (StatusRuntimeException e) {
                assertTrue(allowed.contains(e.getStatus().getCode()), e.getStatus().toString());
            }
            try {
                DomainServiceGrpc.newBlockingStub(channel).detachBlockDevice(org.hvsim.proto.control.DetachBlockDeviceRequest
                        .newBuilder().setDomain(target).setDevice(device).build());
                throw new AssertionError("detached a disk the guest does not have: " + device);
            } catch (StatusRuntimeException e) {
                assertTrue(allowed.contains(e.getStatus().getCode()), e.getStatus().toString());
            }
        }
        try {
            assertEquals(List.of(), ts.disks(GUEST), "nothing left behind");
        } catch (org.hvsim.dom0.toolstack.ConfigException e) {
            throw new AssertionError(e);
        }
    }
}
