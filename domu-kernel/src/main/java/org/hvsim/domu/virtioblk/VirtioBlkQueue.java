package org.hvsim.domu.virtioblk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.hvsim.domu.blk.BlockRequest;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.virtio.VirtioFeature;
import org.hvsim.virtio.blk.VirtioBlkFeature;
import org.hvsim.virtio.blk.VirtioBlkRequestHeader;
import org.hvsim.virtio.blk.VirtioBlkRequestType;
import org.hvsim.virtio.blk.VirtioBlkStatus;
import org.hvsim.virtio.dma.GrantDmaAddress;
import org.hvsim.virtio.ring.Descriptor;
import org.hvsim.virtio.ring.DriverBuffer;
import org.hvsim.virtio.ring.DriverQueue;
import org.hvsim.virtio.ring.UsedElement;
import org.hvsim.virtio.ring.VirtqueueException;
import org.hvsim.virtio.ring.VirtqueueLayout;

/**
 * virtio-blk's request queue on grant DMA: the split virtqueue in three granted pages (descriptor table and
 * available ring read-only to the backend, used ring writable), a header-and-status slot per request in
 * writable header pages, an indirect table per request (with VIRTIO_F_INDIRECT_DESC) in a read-only page, and
 * the data pages of the workload's buffers, each granted once on first use (read-only if the device only reads
 * it, writable once the device fills it) and kept granted until the device is closed. Descriptor addresses are
 * {@link GrantDmaAddress}es; pages granted with consecutive refs form one descriptor.
 *
 * <p>Threads: {@link #submit}, {@link #submitRaw}, {@link #publishRawAvailIdx}, {@link #kick}, {@link #reap},
 * {@link #awaitCompletion} and {@link #prepare} on the vCPU driving the device; {@link #failAll} and
 * {@link #release} on the xenwatch worker (any vCPU). All of it under this object's monitor, which no event
 * handler takes; the port's handler touches only atomics and sends an IPI. No hypercall is made with the
 * monitor held, except a grant table growth on a data page's first use.
 */
final class VirtioBlkQueue {
    /** Bytes of a request slot: the 16-byte header at 0, the status byte at 16. */
    static final int SLOT_BYTES = 32;
    static final int STATUS_OFFSET = VirtioBlkRequestHeader.SIZE;
    static final int SLOTS_PER_PAGE = Page.SIZE / SLOT_BYTES;
    /** Entries of an indirect table that fits one page. */
    static final int MAX_INDIRECT = Page.SIZE / Descriptor.SIZE;
    /** The largest queue this frontend sets up: each ring area fits one page. */
    static final int MAX_QUEUE_SIZE = 256;
    private static final byte STATUS_UNSET = (byte) 0xff;

    private final BlkfrontPlatform platform;
    private final GuestMemory memory;
    private final int backendId;
    private final int size;
    private final boolean indirect;
    /**
     * How long a vCPU waiting for completions looks at the used ring before it asks for a notification and
     * blocks (blk-mq's hybrid polling): a completion that comes sooner costs the backend no event and the
     * vCPU no block and wake-up.
     */
    static final long POLL_NS = 25_000;
    private final int segMax;
    private final DriverQueue queue;
    private final int port;
    private final List<long[]> owned = new ArrayList<>();   // {gfn, ref} of frames this queue allocated
    private final long[] headerPages;
    private final long[] tablePages;
    private final int[] tableRefs;
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private final BlockRequest[] byHead;
    private final RawRequest[] rawByHead;
    private final int[] slotOfHead;
    private final Map<Long, int[]> dataRefs = new HashMap<>();
    private final List<BlockRequest> failed = new ArrayList<>();
    private final List<BlockRequest> reaped = new ArrayList<>();
    private final int[] ringRefs = new int[3];
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong kicks = new AtomicLong();
    private final AtomicLong badStatus = new AtomicLong();
    private volatile int waiter = -1;
    private PerCpu driver;
    private boolean open = true;
    private int inFlight;
    private String brokenReason;

    private VirtioBlkQueue(BlkfrontPlatform platform, PerCpu cpu, int backendId, int size, long features,
            int segMax) {
        this.platform = platform;
        this.memory = platform.memory();
        this.backendId = backendId;
        this.size = size;
        this.indirect = VirtioFeature.has(features, VirtioFeature.INDIRECT_DESC);
        this.segMax = segMax;
        long desc = ownedPage(cpu, true, 0);
        long avail = ownedPage(cpu, true, 1);
        long used = ownedPage(cpu, false, 2);
        this.queue = DriverQueue.create(memory, new VirtqueueLayout(size, desc, avail, used),
                VirtioFeature.has(features, VirtioFeature.EVENT_IDX));
        this.headerPages = new long[(size + SLOTS_PER_PAGE - 1) / SLOTS_PER_PAGE];
        for (int i = 0; i < headerPages.length; i++) {
            headerPages[i] = ownedPage(cpu, false, -1);
        }
        this.tablePages = new long[size];
        this.tableRefs = new int[size];
        this.byHead = new BlockRequest[size];
        this.rawByHead = new RawRequest[size];
        this.slotOfHead = new int[size];
        for (int s = 0; s < size; s++) {
            freeSlots.add(s);
        }
        this.port = platform.allocUnbound(cpu, backendId, (c, p) -> {
            events.incrementAndGet();
            int w = waiter;
            if (w >= 0 && w != c.id()) {
                platform.wake(c, w);
            }
        });
    }

    /**
     * Sets up a queue of {@code size} entries (a power of two up to {@value #MAX_QUEUE_SIZE}) for the backend
     * domain {@code backendId}, with the negotiated {@code features}; {@code segMax} data segments at most per
     * request (0: no limit but the queue's).
     */
    static VirtioBlkQueue create(BlkfrontPlatform platform, PerCpu cpu, int backendId, int size, long features,
            int segMax) {
        if (!VirtqueueLayout.isValidSize(size) || size > MAX_QUEUE_SIZE) {
            throw new IllegalArgumentException("queue size " + size);
        }
        return new VirtioBlkQueue(platform, cpu, backendId, size, features, segMax);
    }

    private long ownedPage(PerCpu cpu, boolean readonly, int ringIndex) {
        long gfn = platform.allocateZeroedFrame(cpu);
        int ref = platform.grantAccess(cpu, backendId, gfn, readonly);
        owned.add(new long[] {gfn, ref});
        if (ringIndex >= 0) {
            ringRefs[ringIndex] = ref;
        }
        return Page.addressOf(gfn);
    }

    int size() {
        return size;
    }

    int port() {
        return port;
    }

    int descRef() {
        return ringRefs[0];
    }

    int availRef() {
        return ringRefs[1];
    }

    int usedRef() {
        return ringRefs[2];
    }

    /** Requests that may be in flight at once. */
    int depth() {
        return indirect ? size : Math.max(1, size / 3);
    }

    /** Grants {@code buffer}'s pages now, in order (so their refs are consecutive as the grant table allows). */
    synchronized void prepare(PerCpu cpu, GuestBuffer buffer) {
        driver = cpu;
        for (int i = 0; i < buffer.pageCount(); i++) {
            dataRef(cpu, Page.frameOf(buffer.page(i)), true);
        }
    }

    /** Queues {@code r}; false when the queue is full or the device is no longer usable. */
    synchronized boolean submit(BlockRequest r) {
        if (!open || freeSlots.isEmpty()) {
            return false;
        }
        List<DriverBuffer> data;
        try {
            data = segments(r);
        } catch (IllegalStateException e) {
            r.complete(BlockRequest.Status.IOERR);
            failed.add(r);
            return true;
        }
        int slot = freeSlots.peek();
        long header = headerPages[slot / SLOTS_PER_PAGE] + (long) (slot % SLOTS_PER_PAGE) * SLOT_BYTES;
        int headerRef = dataRefOfOwned(header);
        int type = switch (r.op()) {
            case READ -> VirtioBlkRequestType.IN;
            case WRITE -> VirtioBlkRequestType.OUT;
            case FLUSH -> VirtioBlkRequestType.FLUSH;
        };
        memory.write(header, new VirtioBlkRequestHeader(type, 0, r.offset() / VirtioBlkRequestHeader.SECTOR_SIZE)
                .encode(), 0, VirtioBlkRequestHeader.SIZE);
        memory.putByte(header + STATUS_OFFSET, STATUS_UNSET);
        int offset = Page.offsetIn(header);
        DriverBuffer head = new DriverBuffer(GrantDmaAddress.encode(headerRef, offset), VirtioBlkRequestHeader.SIZE);
        DriverBuffer status = new DriverBuffer(GrantDmaAddress.encode(headerRef, offset + STATUS_OFFSET), 1);
        List<DriverBuffer> readable = new ArrayList<>(1 + data.size());
        List<DriverBuffer> writable = new ArrayList<>(1 + data.size());
        readable.add(head);
        if (r.op() == BlockRequest.Op.WRITE) {
            readable.addAll(data);
        } else {
            writable.addAll(data);
        }
        writable.add(status);
        int entries = readable.size() + writable.size();
        int h;
        if (indirect && entries <= MAX_INDIRECT) {
            if (tablePages[slot] == 0) {
                PerCpu cpu = driver;
                if (cpu == null) {
                    r.complete(BlockRequest.Status.IOERR);
                    failed.add(r);
                    return true;
                }
                long gfn = platform.allocateZeroedFrame(cpu);
                tableRefs[slot] = platform.grantAccess(cpu, backendId, gfn, true);
                owned.add(new long[] {gfn, tableRefs[slot]});
                tablePages[slot] = Page.addressOf(gfn);
            }
            h = queue.addIndirect(readable, writable, tablePages[slot], GrantDmaAddress.encode(tableRefs[slot], 0));
        } else if (entries > size) {
            r.complete(BlockRequest.Status.IOERR);
            failed.add(r);
            return true;
        } else {
            h = queue.add(readable, writable);
        }
        if (h < 0) {
            return false;
        }
        freeSlots.poll();
        byHead[h] = r;
        slotOfHead[h] = slot;
        inFlight++;
        return true;
    }

    /** The data descriptors of {@code r}: one per run of pages granted with consecutive refs. */
    private List<DriverBuffer> segments(BlockRequest r) {
        if (r.op() == BlockRequest.Op.FLUSH) {
            return List.of();
        }
        boolean deviceWrites = r.op() == BlockRequest.Op.READ;
        GuestBuffer b = r.buffer();
        int pages = (r.length() + Page.SIZE - 1) / Page.SIZE;
        List<DriverBuffer> out = new ArrayList<>(pages);
        int runRef = 0;
        long runLen = 0;
        int prevRef = 0;
        for (int i = 0; i < pages; i++) {
            int ref = dataRef(driver, Page.frameOf(b.page(i)), deviceWrites);
            int bytes = Math.min(Page.SIZE, r.length() - i * Page.SIZE);
            if (i > 0 && ref == prevRef + 1) {
                runLen += bytes;
            } else {
                if (i > 0) {
                    out.add(new DriverBuffer(GrantDmaAddress.encode(runRef, 0), runLen));
                }
                runRef = ref;
                runLen = bytes;
            }
            prevRef = ref;
        }
        out.add(new DriverBuffer(GrantDmaAddress.encode(runRef, 0), runLen));
        if (segMax > 0 && out.size() > segMax) {
            throw new IllegalStateException(out.size() + " segments, seg_max " + segMax);
        }
        return out;
    }

    /** The ref granting {@code gfn} to the backend, writable if {@code writable}; granted on first use. */
    private int dataRef(PerCpu cpu, long gfn, boolean writable) {
        int[] refs = dataRefs.computeIfAbsent(gfn, g -> new int[] {-1, -1});
        if (refs[1] >= 0) {
            return refs[1];
        }
        if (!writable && refs[0] >= 0) {
            return refs[0];
        }
        if (cpu == null) {
            throw new IllegalStateException("page " + gfn + " not prepared");
        }
        int ref = platform.grantAccess(cpu, backendId, gfn, !writable);
        refs[writable ? 1 : 0] = ref;
        return ref;
    }

    private int dataRefOfOwned(long address) {
        long gfn = Page.frameOf(address);
        for (long[] o : owned) {
            if (o[0] == gfn) {
                return (int) o[1];
            }
        }
        throw new IllegalStateException("frame " + gfn + " is not the queue's");
    }

    /** Makes the queued requests visible and notifies the backend if it asked to be. */
    void kick(PerCpu cpu) {
        boolean notify;
        synchronized (this) {
            driver = cpu;
            if (!open) {
                return;
            }
            queue.publish();
            notify = queue.kickNeeded();
        }
        if (notify) {
            kicks.incrementAndGet();
            platform.notify(cpu, port);
        }
    }

    /** Hands every completed (or failed) request to {@code done}; returns how many. */
    int reap(Consumer<BlockRequest> done) {
        synchronized (this) {
            reaped.clear();
            reaped.addAll(failed);
            failed.clear();
            if (open) {
                try {
                    UsedElement u;
                    while ((u = queue.reclaim()) != null) {
                        if (rawByHead[u.id()] != null) {
                            completeRaw(u);
                        } else {
                            complete(u.id());
                        }
                    }
                } catch (VirtqueueException e) {
                    failAllLocked("used ring broken: " + e.getMessage());
                    reaped.addAll(failed);
                    failed.clear();
                }
            }
        }
        for (BlockRequest r : reaped) {
            done.accept(r);
        }
        return reaped.size();
    }

    private void complete(int head) {
        BlockRequest r = byHead[head];
        int slot = slotOfHead[head];
        byHead[head] = null;
        long header = headerPages[slot / SLOTS_PER_PAGE] + (long) (slot % SLOTS_PER_PAGE) * SLOT_BYTES;
        int status = Byte.toUnsignedInt(memory.getByte(header + STATUS_OFFSET));
        r.complete(switch (status) {
            case VirtioBlkStatus.OK -> BlockRequest.Status.OK;
            case VirtioBlkStatus.UNSUPP -> BlockRequest.Status.UNSUPP;
            case VirtioBlkStatus.IOERR -> BlockRequest.Status.IOERR;
            default -> {
                badStatus.incrementAndGet();
                yield BlockRequest.Status.IOERR;
            }
        });
        freeSlots.push(slot);
        inFlight--;
        reaped.add(r);
    }

    /**
     * Blocks {@code cpu} until a completion may have arrived: looks at the used ring for up to
     * {@link #POLL_NS} first; then asks the backend for a used-buffer notification (used_event with
     * EVENT_IDX) and waits unless one is already there.
     */
    void awaitCompletion(PerCpu cpu) {
        awaitCompletion(cpu, 0);
    }

    /** As {@link #awaitCompletion(PerCpu)}, but returns by system time {@code deadline} (0: none) at the latest. */
    void awaitCompletion(PerCpu cpu, long deadline) {
        synchronized (this) {
            driver = cpu;
        }
        long pollUntil = cpu.now() + POLL_NS;
        while (cpu.now() < pollUntil) {
            if (polledReady()) {
                return;
            }
            Thread.onSpinWait();
        }
        waiter = cpu.id();
        try {
            platform.waitForEvent(cpu, this::completionReady, deadline);
        } finally {
            waiter = -1;
        }
    }

    private synchronized boolean polledReady() {
        return !failed.isEmpty() || !open || queue.hasUsed();
    }

    private synchronized boolean completionReady() {
        return !failed.isEmpty() || !open || queue.enableInterrupts();
    }

    /**
     * Fails every request in flight with IOERR and stops taking new ones; returns how many failed. A vCPU waiting
     * for completions on another vCPU is woken to reap them.
     */
    int failAll(PerCpu cpu, String why) {
        int n;
        synchronized (this) {
            n = failAllLocked(why);
        }
        int w = waiter;
        if (w >= 0 && w != cpu.id()) {
            platform.wake(cpu, w);
        }
        return n;
    }

    private int failAllLocked(String why) {
        int n = 0;
        for (int h = 0; h < size; h++) {
            rawByHead[h] = null;
            BlockRequest r = byHead[h];
            if (r != null) {
                byHead[h] = null;
                r.complete(BlockRequest.Status.IOERR);
                failed.add(r);
                n++;
            }
        }
        inFlight = 0;
        if (open) {
            open = false;
            brokenReason = why;
        }
        return n;
    }

    /** Why the queue stopped, or null while it runs. */
    synchronized String brokenReason() {
        return brokenReason;
    }

    /**
     * Once the backend has closed: ends every grant (ring, headers, tables, data pages), frees the queue's own
     * frames and closes the port. Returns how many grants could not be ended (still mapped: their frames are
     * not freed).
     */
    int release(PerCpu cpu) {
        List<long[]> frames;
        List<Integer> refs = new ArrayList<>();
        synchronized (this) {
            failAllLocked("closed");
            frames = new ArrayList<>(owned);
            owned.clear();
            for (int[] r : dataRefs.values()) {
                for (int ref : r) {
                    if (ref >= 0) {
                        refs.add(ref);
                    }
                }
            }
            dataRefs.clear();
        }
        int stuck = 0;
        for (long[] f : frames) {
            if (platform.endAccess((int) f[1])) {
                platform.freeFrame(f[0]);
            } else {
                stuck++;
            }
        }
        for (int ref : refs) {
            if (!platform.endAccess(ref)) {
                stuck++;
            }
        }
        platform.closePort(cpu, port);
        return stuck;
    }

    // ---- raw chains: what a hostile workload (HostileFront) queues instead of a BlockRequest ----

    /**
     * Queues one chain that {@code chain} lays out by hand, not as {@link #submit} would: takes a request slot,
     * writes {@code header} and an unset status byte (0xff) there, and lets {@code chain} add its descriptors
     * through a {@link RawRing} (and overwrite them: the driver queue keeps the chain's length and free list
     * privately, so whatever the table says, the used element frees exactly what was added). Made visible by the
     * next {@link #kick}; {@link #reap} records what the device answered in the returned request. Null when the
     * device is no longer usable, no slot is free or the chain does not fit the free descriptors.
     */
    synchronized RawRequest submitRaw(VirtioBlkRequestHeader header, RawChain chain) {
        if (!open || freeSlots.isEmpty()) {
            return null;
        }
        int slot = freeSlots.peek();
        long at = headerPages[slot / SLOTS_PER_PAGE] + (long) (slot % SLOTS_PER_PAGE) * SLOT_BYTES;
        int ref = dataRefOfOwned(at);
        memory.write(at, header.encode(), 0, VirtioBlkRequestHeader.SIZE);
        memory.putByte(at + STATUS_OFFSET, STATUS_UNSET);
        int offset = Page.offsetIn(at);
        int h = chain.add(new RawRing(
                new DriverBuffer(GrantDmaAddress.encode(ref, offset), VirtioBlkRequestHeader.SIZE),
                new DriverBuffer(GrantDmaAddress.encode(ref, offset + STATUS_OFFSET), 1)));
        if (h < 0) {
            return null;
        }
        freeSlots.poll();
        RawRequest r = new RawRequest();
        rawByHead[h] = r;
        slotOfHead[h] = slot;
        inFlight++;
        return r;
    }

    private void completeRaw(UsedElement u) {
        RawRequest r = rawByHead[u.id()];
        rawByHead[u.id()] = null;
        int slot = slotOfHead[u.id()];
        long at = headerPages[slot / SLOTS_PER_PAGE] + (long) (slot % SLOTS_PER_PAGE) * SLOT_BYTES;
        r.used(u.len(), Byte.toUnsignedInt(memory.getByte(at + STATUS_OFFSET)));
        freeSlots.push(slot);
        inFlight--;
    }

    /**
     * Stores {@code idx} as the available idx, whatever the chains added say, and notifies the backend: how a
     * hostile workload makes the index jump. The next {@link #kick} would store the driver's own idx again;
     * {@link HostileFront} makes no request after it (a backend that checks its ring has stopped serving it).
     */
    void publishRawAvailIdx(PerCpu cpu, int idx) {
        synchronized (this) {
            if (!open) {
                return;
            }
            memory.putShortRelease(queue.layout().availIdx(), (short) idx);
        }
        kicks.incrementAndGet();
        platform.notify(cpu, port);
    }

    /** What a {@link RawChain} may use while it lays its chain out (under the queue's monitor). */
    final class RawRing {
        private final DriverBuffer header;
        private final DriverBuffer status;

        private RawRing(DriverBuffer header, DriverBuffer status) {
            this.header = header;
            this.status = status;
        }

        /** The request slot's 16 header bytes (in a page granted writable). */
        DriverBuffer header() {
            return header;
        }

        /** The request slot's status byte. */
        DriverBuffer status() {
            return status;
        }

        /** The queue's size. */
        int size() {
            return size;
        }

        /** Descriptors free in the table. */
        int free() {
            return queue.numFree();
        }

        /** The grant address of byte 0 of the page at {@code pageAddress}, granted writable (once) if it is not. */
        long grantAddress(long pageAddress) {
            return GrantDmaAddress.encode(dataRef(driver, Page.frameOf(pageAddress), true), 0);
        }

        /** {@link DriverQueue#add}: the head, or -1. */
        int add(List<DriverBuffer> readable, List<DriverBuffer> writable) {
            return queue.add(readable, writable);
        }

        /** The descriptor indices of the chain at {@code head}, as {@link #add} linked them. */
        int[] chain(int head) {
            List<Integer> out = new ArrayList<>();
            int d = head;
            while (out.size() < size) {
                out.add(d);
                Descriptor desc = Descriptor.read(memory, queue.layout().descriptor(d));
                if (!desc.hasNext()) {
                    break;
                }
                d = desc.next();
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Overwrites table entry {@code index}. */
        void rewrite(int index, Descriptor d) {
            d.write(memory, queue.layout().descriptor(index));
        }

        /** The domain's memory (for an indirect table the chain points to). */
        GuestMemory memory() {
            return memory;
        }
    }

    /** Requests queued and not yet completed or failed. */
    synchronized int inFlight() {
        return inFlight;
    }

    /** Data pages granted so far (each counted once). */
    synchronized int dataPagesGranted() {
        return dataRefs.size();
    }

    /** Used-buffer notifications taken. */
    long events() {
        return events.get();
    }

    /** Available-buffer notifications sent. */
    long kicks() {
        return kicks.get();
    }

    /** Status bytes the device wrote that are not OK, IOERR or UNSUPP (taken as IOERR). */
    long badStatus() {
        return badStatus.get();
    }

    /** The used_event the driver last published (16-bit). */
    int usedEvent() {
        return Short.toUnsignedInt(memory.getShort(queue.layout().usedEvent()));
    }

    /** Whether a used chain waits to be reaped. */
    synchronized boolean completionWaiting() {
        return queue.hasUsed();
    }

    /** The driver's available idx (16-bit, wraps). */
    synchronized int availIdx() {
        return queue.availIdx();
    }
}
