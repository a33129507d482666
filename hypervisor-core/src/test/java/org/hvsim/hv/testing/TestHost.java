package org.hvsim.hv.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.hvsim.hv.HostIdentity;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.ConsoleInterface;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.KernelImage;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;
import org.hvsim.hv.boot.Dom0Builder;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.DomainParams;
import org.hvsim.hv.domain.DomainTable;
import org.hvsim.hv.hypercall.HypercallContext;
import org.hvsim.hv.memory.MachineMemory;
import org.hvsim.hv.memory.MemoryInvariantChecker;
import org.hvsim.hv.sched.RoundRobinPolicy;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.time.MonotonicClock;

/**
 * A whole hypervisor in the test's process: machine memory in a temporary file, pCPU threads, and
 * domain 0 built as at boot, whose hypercalls the test makes directly. Guests are built by a small
 * toolstack here (the real one is dom0's): kernel image in frame 0, start_info in frame 1, the console
 * ring in frame 3, shared_info mapped above RAM. Close it to destroy every domain and delete the file.
 */
public final class TestHost implements AutoCloseable {
    public static final long IMAGE_PFN = 0;
    public static final long START_INFO_PFN = 1;
    public static final long CONSOLE_PFN = 3;

    private final Path dir;
    private final MachineMemory machine;
    private final Hypervisor hv;
    private final Dom0Builder.Dom0 dom0;

    private TestHost(Path dir, MachineMemory machine, Hypervisor hv, Dom0Builder.Dom0 dom0) {
        this.dir = dir;
        this.machine = machine;
        this.hv = hv;
        this.dom0 = dom0;
    }

    /** A host with {@code pcpus} pCPUs, {@code machineMiB} of machine memory and 16 MiB of dom0 memory. */
    public static TestHost start(int pcpus, int machineMiB) throws IOException, DomainTable.DomainCreateException {
        return start(pcpus, machineMiB, new RoundRobinPolicy());
    }

    /** The same, scheduling with {@code policy}. */
    public static TestHost start(int pcpus, int machineMiB, SchedulerPolicy policy)
            throws IOException, DomainTable.DomainCreateException {
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "hvsim-test-");
        MachineMemory machine = MachineMemory.create(dir.resolve("machine.mem"), (long) machineMiB << 20);
        Hypervisor hv = new Hypervisor(HostIdentity.of("test"), new MonotonicClock(), machine, policy, pcpus);
        hv.start();
        Dom0Builder.Dom0 dom0 = Dom0Builder.build(hv, 16L << 20, 1, "");
        return new TestHost(dir, machine, hv, dom0);
    }

    public Hypervisor hv() {
        return hv;
    }

    public Domain dom0() {
        return dom0.domain();
    }

    public Dom0Builder.Dom0 dom0Info() {
        return dom0;
    }

    public Path dir() {
        return dir;
    }

    public MachineMemory machine() {
        return machine;
    }

    /** A hypercall made by dom0's vCPU {@code vcpu}, as the privcmd channel would deliver it. */
    public long dom0Hypercall(int vcpu, int op, long a1, long a2, long a3, long a4, long a5) {
        Domain d = dom0.domain();
        return hv.hypercalls().dispatch(new HypercallContext(d, d.vcpu(vcpu)), op, a1, a2, a3, a4, a5);
    }

    /** dom0's memory as dom0 sees it (guest-physical addresses of dom0). */
    public GuestMemory dom0Memory() {
        return dom0.domain().hypervisorView();
    }

    /** Builds and starts a guest: {@code memoryMiB} of RAM, kernel {@code kernelJar}, command line {@code cmdline}. */
    public Domain boot(Path kernelJar, String cmdline, int memoryMiB, int vcpus) throws DomainTable.DomainCreateException {
        Domain d = build(kernelJar, cmdline, memoryMiB, vcpus);
        d.unpauseByController();
        return d;
    }

    /** As {@link #boot}, but left paused (xl create -p). */
    public Domain build(Path kernelJar, String cmdline, int memoryMiB, int vcpus) throws DomainTable.DomainCreateException {
        byte[] uuid = uuidBytes(UUID.randomUUID());
        Domain d = hv.domains().createGuest(new DomainParams(0, uuid, 0, vcpus, 0, 0, 0, false, false), machine.frames());
        long pages = (long) memoryMiB << 8;
        d.memory().setMaxPages(pages);
        for (long pfn = 0; pfn < pages; pfn++) {
            if (d.memory().populatePhysmap(pfn, 0) < 0) {
                throw new DomainTable.DomainCreateException(-org.hvsim.hv.abi.Errno.ENOMEM, "populate " + pfn);
            }
        }
        d.memory().mapSharedPage(d.sharedInfoFrame(), pages);
        GuestMemory m = d.hypervisorView();
        KernelImage image = new KernelImage(kernelJar.toAbsolutePath().toString());
        image.write(m, Page.addressOf(IMAGE_PFN));
        int port = hv.evtchn().allocUnbound(d, DomId.DOM0);
        new StartInfo(Dom0Builder.MAGIC, pages, Page.addressOf(pages), StartInfo.SIF_MOD_START_PFN, 0, 0, CONSOLE_PFN, port,
                IMAGE_PFN, image.length(), cmdline).write(m, Page.addressOf(START_INFO_PFN));
        d.vcpu(0).setContext(new VcpuGuestContext(VcpuGuestContext.VGCF_ONLINE, VcpuGuestContext.ENTRY_BOOT,
                Page.addressOf(START_INFO_PFN)));
        return d;
    }

    /** Everything the guest has written to its console ring so far (consumed, as xenconsoled would). */
    public String drainConsole(Domain d) {
        GuestMemory m = d.hypervisorView();
        long ring = Page.addressOf(CONSOLE_PFN);
        int cons = m.getIntAcquire(ring + ConsoleInterface.OUT_CONS);
        int prod = m.getIntAcquire(ring + ConsoleInterface.OUT_PROD);
        StringBuilder sb = new StringBuilder();
        for (int i = cons; i != prod && i - cons < ConsoleInterface.OUT_SIZE; i++) {
            sb.append((char) (m.getByte(ring + ConsoleInterface.OUT + ConsoleInterface.maskIndex(i, ConsoleInterface.OUT_SIZE)) & 0xff));
        }
        m.putIntRelease(ring + ConsoleInterface.OUT_CONS, prod);
        return sb.toString();
    }

    /** The hypervisor console ring (xl dmesg). */
    public String dmesg() {
        return new String(hv.console().ring().read(false, 0, 1 << 20, false).data(), StandardCharsets.UTF_8);
    }

    public List<MemoryInvariantChecker.Violation> invariants() {
        return new MemoryInvariantChecker(hv.memory()).check();
    }

    /** Polls {@code condition} until it holds or {@code timeoutMs} pass. */
    public static void await(BooleanSupplier condition, long timeoutMs, String what) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** Destroys every guest and waits until the table holds only dom0. */
    public void destroyGuests() {
        for (Domain d : hv.domains().list()) {
            if (d.domid() != DomId.DOM0) {
                d.kill();
            }
        }
        await(() -> hv.domains().size() == 1, 10_000, "destroyed guests to be reaped");
    }

    public static byte[] uuidBytes(UUID u) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
            b[8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        try {
            hv.close();
        } finally {
            machine.close();
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
