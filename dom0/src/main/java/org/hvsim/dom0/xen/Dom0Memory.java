package org.hvsim.dom0.xen;

import java.util.BitSet;
import org.hvsim.hv.abi.FrameTableGuestMemory;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.proto.privcmd.Welcome;

/**
 * dom0's own memory: its P2M (read from the P2M list the hypervisor built, whose frames the Welcome
 * names), a view of its RAM by guest-physical address, and an allocator of its free frames (those
 * after start_info and the P2M list) for hypercall buffers and page-table frames. Thread-safe.
 */
public final class Dom0Memory {
    private final MachineMapping machine;
    private final long[] p2m;
    private final GuestMemory view;
    private final GuestMemory sharedInfo;
    private final StartInfo startInfo;
    private final BitSet used;
    private final long firstFree;
    private int hint;

    public Dom0Memory(MachineMapping machine, Welcome w) {
        this.machine = machine;
        GuestMemory si = new SegmentGuestMemory(machine.frame(w.getStartInfoMfn()), 0);
        this.startInfo = StartInfo.read(si, 0);
        long pages = startInfo.nrPages();
        long[] listFrames = w.getP2MFramesList().stream().mapToLong(Long::longValue).toArray();
        if (pages <= 0 || pages > (long) listFrames.length * (Page.SIZE / 8)) {
            throw new IllegalStateException("start_info says " + pages + " pages but the P2M list has " + listFrames.length + " frames");
        }
        GuestMemory list = new FrameTableGuestMemory(machine.segment(), listFrames, 0);
        this.p2m = new long[(int) pages];
        for (int pfn = 0; pfn < pages; pfn++) {
            p2m[pfn] = list.getLong(8L * pfn);
        }
        this.view = new FrameTableGuestMemory(machine.segment(), p2m, 0);
        this.sharedInfo = new SegmentGuestMemory(machine.frame(w.getSharedInfoMfn()), 0);
        this.firstFree = 1 + si.getLong(StartInfo.NR_P2M_FRAMES);
        this.used = new BitSet((int) pages);
        used.set(0, (int) firstFree);
    }

    public MachineMapping machine() {
        return machine;
    }

    /** dom0's RAM by guest-physical address. */
    public GuestMemory view() {
        return view;
    }

    /** dom0's shared_info page (its event bitmaps and vcpu_info), base address 0. */
    public GuestMemory sharedInfo() {
        return sharedInfo;
    }

    public StartInfo startInfo() {
        return startInfo;
    }

    /** The machine frame of dom0's guest frame {@code pfn}. */
    public long mfnOf(long pfn) {
        return p2m[(int) pfn];
    }

    /**
     * Allocates {@code count} contiguous free guest frames and returns the first, or -1 if there is
     * no such run. Frames are zeroed.
     */
    public synchronized long allocate(int count) {
        int from = hint;
        for (int pass = 0; pass < 2; pass++) {
            int start = used.nextClearBit(pass == 0 ? Math.max(from, (int) firstFree) : (int) firstFree);
            while (start + count <= p2m.length) {
                int next = used.nextSetBit(start);
                if (next < 0 || next >= start + count) {
                    used.set(start, start + count);
                    hint = start + count;
                    view.fill(Page.addressOf(start), (long) count * Page.SIZE, (byte) 0);
                    return start;
                }
                start = used.nextClearBit(next);
            }
        }
        return -1;
    }

    public synchronized void free(long pfn, int count) {
        if (pfn < firstFree || pfn + count > p2m.length) {
            throw new IllegalArgumentException("frames " + pfn + "+" + count + " are not allocatable");
        }
        used.clear((int) pfn, (int) pfn + count);
    }

    public synchronized int freeFrames() {
        return p2m.length - used.cardinality();
    }
}
