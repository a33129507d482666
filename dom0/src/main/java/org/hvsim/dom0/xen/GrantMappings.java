package org.hvsim.dom0.xen;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.SegmentGuestMemory;

/**
 * dom0's persistent grant mappings, for backends whose frontends keep granting the same pages (queue
 * rings, persistent data buffers): each (domain, ref, access) is mapped once, on first use, and the
 * same {@link GuestMemory} view over its machine frame (base address 0, one page) is handed out until
 * the mapping is dropped, so steady-state I/O makes no hypercall per request. A read-only mapping's
 * view refuses writes. {@link #unmapAll} drops every mapping of a domain when its device goes away;
 * the hypervisor keeps a dying domain's mapped frames until then.
 *
 * <p>Threads: any; the cache is synchronized, map and unmap hypercalls are made under its lock.
 */
public final class GrantMappings implements AutoCloseable {
    private record Key(int domid, int ref, boolean readonly) {}

    private record Entry(GrantMap map, GuestMemory view) {}

    private final Xc xc;
    private final MachineMapping machine;
    private final Map<Key, Entry> mappings = new HashMap<>();
    private long hypercalls;

    public GrantMappings(Xc xc, MachineMapping machine) {
        this.xc = xc;
        this.machine = machine;
    }

    /** The whole of machine memory as dom0 maps it: every mapped page is a slice of it. */
    public MemorySegment machineMemory() {
        return machine.segment();
    }

    /**
     * The page {@code domid} granted dom0 under {@code ref}, mapped now if it is not yet. Throws
     * {@link GrantError} if the hypervisor refuses the mapping.
     */
    public synchronized GuestMemory map(int domid, int ref, boolean readonly) {
        Key k = new Key(domid, ref, readonly);
        Entry e = mappings.get(k);
        if (e == null) {
            GrantMap m = xc.mapGrantRef(domid, ref, readonly);
            hypercalls++;
            MemorySegment frame = machine.frame(m.mfn());
            e = new Entry(m, new SegmentGuestMemory(readonly ? frame.asReadOnly() : frame, 0));
            mappings.put(k, e);
        }
        return e.view();
    }

    /** Unmaps {@code domid}'s {@code ref} (both accesses, if mapped both ways); whether anything was mapped. */
    public synchronized boolean unmap(int domid, int ref) {
        boolean any = false;
        for (boolean ro : new boolean[] {false, true}) {
            Entry e = mappings.remove(new Key(domid, ref, ro));
            if (e != null) {
                unmapOne(e);
                any = true;
            }
        }
        return any;
    }

    /** Unmaps every mapping of {@code domid}'s grants; returns how many there were. */
    public synchronized int unmapAll(int domid) {
        List<Key> keys = new ArrayList<>();
        for (Key k : mappings.keySet()) {
            if (k.domid() == domid) {
                keys.add(k);
            }
        }
        RuntimeException first = null;
        for (Key k : keys) {
            try {
                unmapOne(mappings.remove(k));
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return keys.size();
    }

    private void unmapOne(Entry e) {
        hypercalls++;
        xc.unmapGrantRef(e.map());
    }

    /** Mappings held. */
    public synchronized int size() {
        return mappings.size();
    }

    /** Map and unmap hypercalls made so far. */
    public synchronized long hypercalls() {
        return hypercalls;
    }

    /** Unmaps everything. */
    @Override
    public synchronized void close() {
        List<Integer> domids = mappings.keySet().stream().map(Key::domid).distinct().toList();
        for (int d : domids) {
            unmapAll(d);
        }
    }
}
