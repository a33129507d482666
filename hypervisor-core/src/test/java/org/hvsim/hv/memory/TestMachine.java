package org.hvsim.hv.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.hvsim.hv.abi.Page;

/** A small real machine for tests: a sparse file under /dev/shm (or the temp dir), a HostMemory, domains. */
final class TestMachine implements AutoCloseable, MemoryDomainLookup {
    final Path dir;
    final MachineMemory machine;
    final HostMemory host;
    final MemoryInvariantChecker checker;
    private final Map<Integer, TestDomain> domains = new HashMap<>();

    TestMachine(long frames, long xenFrames) {
        try {
            dir = tempDir();
            machine = MachineMemory.create(dir.resolve("machine"), frames * Page.SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        host = new HostMemory(machine, xenFrames);
        checker = new MemoryInvariantChecker(host);
    }

    static Path tempDir() throws IOException {
        Path shm = MachineMemory.DEFAULT_DIRECTORY;
        return Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "hvsim-test-")
                : Files.createTempDirectory("hvsim-test-");
    }

    TestDomain domain(int domid, boolean privileged, long maxPages, long gpfnLimit) {
        DomainMemory memory = host.createDomain(domid, gpfnLimit);
        memory.setMaxPages(maxPages);
        TestDomain d = new TestDomain(domid, privileged, memory);
        domains.put(domid, d);
        return d;
    }

    @Override
    public MemoryDomain find(int domid) {
        return domains.get(domid);
    }

    /** Forgets a domain for lookups (as the domain table does when it is reaped). */
    void remove(int domid) {
        domains.remove(domid);
    }

    @Override
    public void close() {
        try {
            machine.close();
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A domain as the memory hypercalls see it. */
    static final class TestDomain implements MemoryDomain {
        private final int domid;
        private final boolean privileged;
        private final DomainMemory memory;
        volatile boolean dying;
        volatile long sharedInfoFrame = -1;

        TestDomain(int domid, boolean privileged, DomainMemory memory) {
            this.domid = domid;
            this.privileged = privileged;
            this.memory = memory;
        }

        @Override public int domid() { return domid; }
        @Override public long sharedInfoFrame() { return sharedInfoFrame; }
        @Override public boolean isPrivileged() { return privileged; }
        @Override public boolean isDying() { return dying; }
        @Override public DomainMemory memory() { return memory; }
    }
}
