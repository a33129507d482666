package org.hvsim.hv.gnttab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabCopy;
import org.hvsim.hv.abi.gnttab.Gtf;

/**
 * Random sequences of grant, end-access, map, unmap and copy between three domains, against a small
 * model written from Xen's rules: after every step each entry's flags and pin counts and each domain's
 * mappings agree with the model (so a failed operation changed nothing, in any domain), and once every
 * domain is destroyed all their memory is free.
 */
class GrantTableModelPropertyTest {
    private static final int DOMAINS = 3;
    private static final int REFS = 12;
    private static final int RO = GntTabOp.GNTMAP_HOST_MAP | GntTabOp.GNTMAP_READONLY;
    private static final int RW = GntTabOp.GNTMAP_HOST_MAP;

    /** The model of one grant entry: what the guest wrote, and Xen's view of it. */
    private static final class Entry {
        int type; // Gtf type
        boolean readonly;
        int grantee;
        long frame;
        int readPins;
        int writePins;
        int activeDomid = -1;

        int flags() {
            int f = type | (readonly ? Gtf.READONLY : 0);
            if (readPins + writePins > 0) {
                f |= Gtf.READING;
            }
            if (writePins > 0) {
                f |= Gtf.WRITING;
            }
            return f;
        }

        /** The status a pin by {@code d} would get. */
        int pinStatus(int d, boolean ro) {
            int pins = readPins + writePins;
            if (pins > 0 && activeDomid != d) {
                return GntSt.GENERAL_ERROR;
            }
            if (pins == 0 || (!ro && writePins == 0)) {
                if (type != Gtf.PERMIT_ACCESS || grantee != d || (!ro && readonly)) {
                    return GntSt.GENERAL_ERROR;
                }
                if (pins == 0 && (frame < 1 || frame > 8)) {
                    return GntSt.BAD_PAGE;
                }
            }
            return GntSt.OKAY;
        }

        void pin(int d, boolean ro) {
            activeDomid = d;
            if (ro) {
                readPins++;
            } else {
                writePins++;
            }
        }

        void unpin(boolean ro) {
            if (ro) {
                readPins--;
            } else {
                writePins--;
            }
        }
    }

    private record Mapping(long handle, int granter, int ref, boolean readonly) {}

    @Provide
    Arbitrary<List<int[]>> steps() {
        return Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofSize(6).list().ofMaxSize(60);
    }

    @Property(tries = 150)
    void grantsMapsUnmapsAndCopiesAgreeWithTheModel(@ForAll("steps") List<int[]> steps) {
        try (GrantFixture fx = new GrantFixture(1024)) {
            GrantFixture.Dom[] dom = new GrantFixture.Dom[DOMAINS + 1];
            Entry[][] model = new Entry[DOMAINS + 1][REFS];
            Map<Integer, List<Mapping>> mappings = new HashMap<>();
            for (int d = 1; d <= DOMAINS; d++) {
                dom[d] = fx.domain(d, false, 16, 1, 1);
                assertEquals(GntSt.OKAY, dom[d].setupTable(1));
                mappings.put(d, new ArrayList<>());
                for (int r = 0; r < REFS; r++) {
                    model[d][r] = new Entry();
                }
            }
            for (int[] s : steps) {
                int actor = 1 + s[1] % DOMAINS;
                int peer = 1 + s[2] % DOMAINS;
                int ref = s[3] % REFS;
                boolean ro = s[4] % 2 == 0;
                Entry e = model[peer][ref];
                switch (s[0] % 6) {
                    case 0 -> { // actor grants peer access to one of its frames (1..8 RAM, 9 not)
                        Entry mine = model[actor][ref];
                        if (mine.type == Gtf.INVALID && mine.readPins + mine.writePins == 0) {
                            long frame = 1 + s[5] % 9;
                            dom[actor].grant(ref, peer, frame == 9 ? 5000 : frame, ro);
                            mine.type = Gtf.PERMIT_ACCESS;
                            mine.readonly = ro;
                            mine.grantee = peer;
                            mine.frame = frame;
                        }
                    }
                    case 1 -> { // actor ends access
                        Entry mine = model[actor][ref];
                        boolean busy = mine.readPins + mine.writePins > 0;
                        assertEquals(!busy, dom[actor].endAccess(ref));
                        if (!busy) {
                            mine.type = Gtf.INVALID;
                            mine.readonly = false;
                        }
                    }
                    case 2 -> { // actor maps peer's ref
                        int expected = e.pinStatus(actor, ro);
                        long[] r = dom[actor].map(peer, ref, ro ? RO : RW);
                        assertEquals(expected, r[0], () -> "map d" + peer + " ref " + ref + ": " + GrantFixture.st(r[0]));
                        if (expected == GntSt.OKAY) {
                            e.pin(actor, ro);
                            mappings.get(actor).add(new Mapping(r[1], peer, ref, ro));
                        }
                    }
                    case 3 -> { // actor unmaps one of its mappings, or a handle it does not hold
                        List<Mapping> mine = mappings.get(actor);
                        if (mine.isEmpty() || s[5] % 5 == 0) {
                            assertEquals(GntSt.BAD_HANDLE, dom[actor].unmap(300 + s[5] % 100, 0));
                        } else {
                            Mapping m = mine.remove(s[5] % mine.size());
                            assertEquals(GntSt.OKAY, dom[actor].unmap(m.handle(), 0));
                            model[m.granter()][m.ref()].unpin(m.readonly());
                        }
                    }
                    case 4 -> { // actor copies from or to peer's ref, by grant, with its own frame 10
                        int expected = e.pinStatus(actor, ro);
                        GnttabCopy.Ptr grant = new GnttabCopy.Ptr(ref, peer, 8);
                        GnttabCopy.Ptr own = new GnttabCopy.Ptr(10, DomId.SELF, 16);
                        GnttabCopy op = ro
                                ? new GnttabCopy(grant, own, 64, GntTabOp.GNTCOPY_SOURCE_GREF, 0)
                                : new GnttabCopy(own, grant, 64, GntTabOp.GNTCOPY_DEST_GREF, 0);
                        assertEquals(expected, dom[actor].copy(op), "copy with d" + peer + " ref " + ref);
                    }
                    default -> { // a copy across a page boundary fails (after the grant is checked), changing nothing
                        int pin = e.pinStatus(actor, true);
                        GnttabCopy op = new GnttabCopy(new GnttabCopy.Ptr(ref, peer, Page.SIZE - 8),
                                new GnttabCopy.Ptr(10, DomId.SELF, 0), 16, GntTabOp.GNTCOPY_SOURCE_GREF, 0);
                        assertEquals(pin == GntSt.OKAY ? GntSt.BAD_COPY_ARG : pin, dom[actor].copy(op));
                    }
                }
                for (int d = 1; d <= DOMAINS; d++) {
                    for (int r = 0; r < REFS; r++) {
                        Entry m = model[d][r];
                        int dd = d;
                        int rr = r;
                        assertEquals(m.flags(), dom[d].flags(r), () -> "flags of d" + dd + " ref " + rr);
                        assertEquals(m.readPins, dom[d].table.readPins(r), () -> "read pins of d" + dd + " ref " + rr);
                        assertEquals(m.writePins, dom[d].table.writePins(r), () -> "write pins of d" + dd + " ref " + rr);
                    }
                    assertEquals(mappings.get(d).size(), dom[d].table.mappings(), "mappings of d" + d);
                }
            }
            assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
            for (int d = 1; d <= DOMAINS; d++) {
                fx.kill(dom[d]);
            }
            for (int d = 1; d <= DOMAINS; d++) {
                assertTrue(dom[d].memory.isFullyReleased(), "d" + d + " left memory behind");
            }
            assertEquals(0, fx.host.domains().size());
            assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
        }
    }
}
