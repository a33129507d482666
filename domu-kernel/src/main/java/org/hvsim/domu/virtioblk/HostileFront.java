package org.hvsim.domu.virtioblk;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.hvsim.domu.blk.BlockRequest;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.hv.abi.Page;
import org.hvsim.virtio.blk.VirtioBlkRequestHeader;
import org.hvsim.virtio.blk.VirtioBlkRequestType;
import org.hvsim.virtio.blk.VirtioBlkStatus;
import org.hvsim.virtio.dma.GrantDmaAddress;
import org.hvsim.virtio.ring.Descriptor;
import org.hvsim.virtio.ring.DriverBuffer;

/**
 * A connected virtio-blk frontend turned hostile on purpose, to show what a backend does with bad input: it
 * queues one {@link HostileCase} on the device's own queue, beside the requests a normal frontend makes (a chain
 * laid out by hand with {@link VirtioBlkQueue#submitRaw}, or an available idx stored raw), waits for the answer
 * and says what it was; then, for a case that leaves the ring usable, a good read shows whether the device still
 * serves.
 *
 * <p>Threads: the vCPU driving the device (the workload's), as for any {@link org.hvsim.domu.blk.BlockDevice}.
 */
public final class HostileFront {
    /** Pages of the scratch buffer {@link #inject} needs: data, and an indirect table. */
    public static final int SCRATCH_PAGES = 2;
    /** A ref no grant table reaches (a domain has at most 64 frames of 512 refs). */
    static final int UNGRANTED_REF = 1 << 24;

    private final VirtioBlkFront front;

    public HostileFront(VirtioBlkFront front) {
        this.front = front;
    }

    /**
     * Gives the device {@code c}, then waits (blocked) for its answer until system time {@code deadline}.
     * {@code scratch} is a buffer of {@value #SCRATCH_PAGES} pages the device was given with
     * {@link VirtioBlkFront#prepare}; no other request may be in flight.
     */
    public HostileAnswer inject(PerCpu cpu, HostileCase c, GuestBuffer scratch, long deadline) {
        if (scratch.pageCount() < SCRATCH_PAGES) {
            throw new IllegalArgumentException("a scratch buffer of " + scratch.pageCount() + " pages");
        }
        Optional<VirtioBlkQueue> queue = front.queue();
        if (queue.isEmpty() || !front.connected()) {
            return none("the device is not connected" + front.failure().map(f -> ": " + f).orElse(""));
        }
        VirtioBlkQueue q = queue.get();
        if (c == HostileCase.AVAIL_JUMP) {
            q.publishRawAvailIdx(cpu, (q.availIdx() + q.size() + 1) & 0xffff);
            return awaitReset(cpu, q, deadline);
        }
        long sector = c == HostileCase.PAST_END ? front.capacityBytes() / VirtioBlkRequestHeader.SECTOR_SIZE - 1 : 0;
        int type = c == HostileCase.RO_WRITE ? VirtioBlkRequestType.OUT : VirtioBlkRequestType.IN;
        RawRequest raw = q.submitRaw(new VirtioBlkRequestHeader(type, 0, sector),
                ring -> layOut(c, ring, scratch));
        if (raw == null) {
            return none("the queue did not take the chain");
        }
        q.kick(cpu);
        while (!raw.isUsed()) {
            q.reap(r -> { });
            if (raw.isUsed()) {
                break;
            }
            if (front.needsReset().isPresent()) {
                return new HostileAnswer(HostileAnswer.Kind.DEVICE_NEEDS_RESET, -1, front.needsReset().get());
            }
            if (front.failure().isPresent()) {
                return none(front.failure().get());
            }
            if (cpu.now() >= deadline) {
                return none("nothing in the used ring by the deadline");
            }
            q.awaitCompletion(cpu, deadline);
        }
        return classify(raw);
    }

    /** The chain of case {@code c} (every case but AVAIL_JUMP); its head, or -1. */
    private static int layOut(HostileCase c, VirtioBlkQueue.RawRing ring, GuestBuffer scratch) {
        DriverBuffer header = ring.header();
        DriverBuffer status = ring.status();
        DriverBuffer data = new DriverBuffer(ring.grantAddress(scratch.page(0)), 512);
        return switch (c) {
            case LOOP -> {
                int h = ring.add(List.of(header), List.of(status));
                if (h >= 0) {
                    int[] d = ring.chain(h);
                    ring.rewrite(d[d.length - 1], new Descriptor(status.addr(), status.len(),
                            Descriptor.F_WRITE | Descriptor.F_NEXT, h));
                }
                yield h;
            }
            case LONG_CHAIN -> {
                int n = ring.size();
                if (ring.free() < n) {
                    yield -1;
                }
                int h = ring.add(Collections.nCopies(n - 1, header), List.of(status));
                int[] d = ring.chain(h);
                long table = scratch.page(1);
                int entries = 4;
                for (int i = 0; i < entries; i++) {
                    new Descriptor(status.addr(), status.len(),
                            Descriptor.F_WRITE | (i < entries - 1 ? Descriptor.F_NEXT : 0), i + 1)
                            .write(ring.memory(), table + (long) Descriptor.SIZE * i);
                }
                ring.rewrite(d[d.length - 1], new Descriptor(ring.grantAddress(table), (long) Descriptor.SIZE * entries,
                        Descriptor.F_INDIRECT, 0));
                yield h;
            }
            case BAD_REF -> ring.add(List.of(header),
                    List.of(new DriverBuffer(GrantDmaAddress.encode(UNGRANTED_REF, 0), 512), status));
            case OUTSIDE_GRANT -> ring.add(List.of(header), List.of(new DriverBuffer(scratch.page(0), 512), status));
            case WRITABLE_HEADER -> ring.add(List.of(), List.of(header, data, status));
            case RO_DATA, RO_WRITE -> ring.add(List.of(header, data), List.of(status));
            case PAST_END -> ring.add(List.of(header), List.of(new DriverBuffer(data.addr(), 1024), status));
            case AVAIL_JUMP -> throw new IllegalArgumentException("avail-jump lays out no chain");
        };
    }

    private HostileAnswer awaitReset(PerCpu cpu, VirtioBlkQueue q, long deadline) {
        while (front.needsReset().isEmpty()) {
            if (front.failure().isPresent()) {
                return none(front.failure().get());
            }
            if (cpu.now() >= deadline) {
                return none("no DEVICE_NEEDS_RESET by the deadline");
            }
            q.awaitCompletion(cpu, deadline);
        }
        return new HostileAnswer(HostileAnswer.Kind.DEVICE_NEEDS_RESET, -1, front.needsReset().get());
    }

    private static HostileAnswer classify(RawRequest raw) {
        int status = raw.status();
        long len = raw.usedLen();
        HostileAnswer.Kind kind = switch (status) {
            case RawRequest.STATUS_UNSET -> len == 0 ? HostileAnswer.Kind.UNUSED : HostileAnswer.Kind.NO_STATUS;
            case VirtioBlkStatus.OK -> HostileAnswer.Kind.OK;
            case VirtioBlkStatus.IOERR -> HostileAnswer.Kind.IOERR;
            case VirtioBlkStatus.UNSUPP -> HostileAnswer.Kind.UNSUPP;
            default -> HostileAnswer.Kind.BAD_STATUS;
        };
        return new HostileAnswer(kind, len, kind == HostileAnswer.Kind.BAD_STATUS ? Integer.toString(status) : "");
    }

    private static HostileAnswer none(String why) {
        return new HostileAnswer(HostileAnswer.Kind.NONE, -1, why);
    }

    /**
     * A good read of the first {@code min(buffer, 4 KiB)} bytes of the disk, waited for until {@code deadline};
     * its status (PENDING: not taken, or no answer by then).
     */
    public BlockRequest.Status goodRead(PerCpu cpu, GuestBuffer buffer, long deadline) {
        BlockRequest r = new BlockRequest(buffer).reset(BlockRequest.Op.READ, 0, Math.min(buffer.length(), Page.SIZE));
        if (!front.submit(r)) {
            return BlockRequest.Status.PENDING;
        }
        front.kick(cpu);
        Optional<VirtioBlkQueue> q = front.queue();
        while (r.status() == BlockRequest.Status.PENDING && q.isPresent()) {
            if (front.reap(done -> { }) > 0 || r.status() != BlockRequest.Status.PENDING) {
                continue;
            }
            if (cpu.now() >= deadline) {
                break;
            }
            q.get().awaitCompletion(cpu, deadline);
        }
        return r.status();
    }
}
