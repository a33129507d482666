package org.hvsim.hv.gnttab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabCopy;
import org.hvsim.hv.abi.gnttab.GnttabMapGrantRef;
import org.hvsim.hv.abi.gnttab.GnttabQuerySize;
import org.hvsim.hv.abi.gnttab.GnttabSetupTable;
import org.hvsim.hv.abi.gnttab.GnttabUnmapGrantRef;
import org.hvsim.hv.abi.gnttab.GrantEntryV1;

/**
 * grant_table_op with random argument bytes, random grant entries written by a hostile guest, random
 * commands and counts: it never throws, returns 0 or one of the call-level errnos, writes only defined
 * GNTST codes, and after every domain is destroyed nothing of them is left.
 */
class GrantTableOpsFuzzPropertyTest {
    private static final Set<Long> CALL_ERRNOS = Set.of(0L, (long) -Errno.EINVAL, (long) -Errno.E2BIG,
            (long) -Errno.EFAULT, (long) -Errno.ENOSYS, (long) -Errno.ESRCH, (long) -Errno.EPERM);

    @Provide
    Arbitrary<Long> cmds() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 12), Arbitraries.longs().between(0, 12),
                Arbitraries.longs());
    }

    @Provide
    Arbitrary<Long> counts() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 4), Arbitraries.longs().between(0, 4), Arbitraries.longs());
    }

    @Property(tries = 300)
    void randomArgumentsGiveOnlyStatusesAndErrnos(@ForAll("cmds") long cmd, @ForAll("counts") long count,
            @ForAll @IntRange(min = 0, max = 2) int caller, @ForAll @Size(512) byte[] args,
            @ForAll @Size(128) byte[] entries, @ForAll @IntRange(min = 0, max = 3) int pointer) {
        try (GrantFixture fx = new GrantFixture(1024)) {
            GrantFixture.Dom[] dom = {fx.domain(0, true, 16, 2, 1), fx.domain(1), fx.domain(2)};
            for (GrantFixture.Dom d : dom) {
                assertEquals(GntSt.OKAY, d.setupTable(1));
                d.view.write(d.entryAddress(0), entries); // refs 0..15: whatever a hostile guest writes
            }
            GrantFixture.Dom c = dom[caller];
            // Domain ids in the random bytes mostly name real domains.
            for (int i = 0; i < args.length; i += 2) {
                if ((args[i] & 0x80) == 0) {
                    args[i + 1] = 0;
                    args[i] = (byte) ((args[i] & 0xFF) % 4);
                }
            }
            c.view.write(GrantFixture.ARG, args);
            long uop = switch (pointer) {
                case 0, 1 -> GrantFixture.ARG;
                case 2 -> Page.addressOf(15) + 4090; // runs off RAM
                default -> Long.reverse(cmd ^ count);
            };
            for (int round = 0; round < 2; round++) {
                long rc = c.call((int) cmd, uop, count);
                assertTrue(CALL_ERRNOS.contains(rc), "call returned " + rc + " (" + Errno.name(rc) + ")");
                if (rc == 0 && uop == GrantFixture.ARG) {
                    checkStatuses(c, cmd, count);
                }
            }
            assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
            for (GrantFixture.Dom d : dom) {
                fx.kill(d);
            }
            for (GrantFixture.Dom d : dom) {
                assertTrue(d.memory.isFullyReleased(), d + " left memory behind");
            }
            assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
        }
    }

    private static void checkStatuses(GrantFixture.Dom c, long cmd, long count) {
        int n = (int) Math.min(Integer.toUnsignedLong((int) count), 8);
        switch ((int) cmd) {
            case GntTabOp.MAP_GRANT_REF -> statuses(c, n, GnttabMapGrantRef.SIZE, GnttabMapGrantRef.STATUS);
            case GntTabOp.UNMAP_GRANT_REF -> statuses(c, n, GnttabUnmapGrantRef.SIZE, GnttabUnmapGrantRef.STATUS);
            case GntTabOp.COPY -> statuses(c, n, GnttabCopy.SIZE, GnttabCopy.STATUS);
            case GntTabOp.SETUP_TABLE -> statuses(c, 1, GnttabSetupTable.SIZE, GnttabSetupTable.STATUS);
            case GntTabOp.QUERY_SIZE -> statuses(c, 1, GnttabQuerySize.SIZE, GnttabQuerySize.STATUS);
            default -> { }
        }
    }

    private static void statuses(GrantFixture.Dom c, int n, int size, int statusOffset) {
        for (int i = 0; i < n && (long) (i + 1) * size <= 512; i++) {
            int st = c.view.getShort(GrantFixture.ARG + (long) i * size + statusOffset);
            assertTrue(GntSt.isDefined(st), "op " + i + " status " + st);
        }
    }

    @Property(tries = 200)
    void aHostileEntryNeverPinsForTheWrongDomain(@ForAll long raw, @ForAll @IntRange(min = 0, max = 2) int mapper,
            @ForAll boolean readonly) {
        try (GrantFixture fx = new GrantFixture(1024)) {
            GrantFixture.Dom[] dom = {fx.domain(0, true, 16, 1, 1), fx.domain(1), fx.domain(2)};
            GrantFixture.Dom granter = dom[1];
            assertEquals(GntSt.OKAY, granter.setupTable(1));
            granter.view.putLong(granter.entryAddress(8), raw);
            GrantEntryV1 e = GrantEntryV1.decode(raw);
            long[] r = dom[mapper].map(1, 8, GntTabOp.GNTMAP_HOST_MAP | (readonly ? GntTabOp.GNTMAP_READONLY : 0));
            boolean allowed = e.domid() == mapper && (e.flags() & 3) == 1 && (readonly || (e.flags() & 4) == 0);
            if (r[0] == GntSt.OKAY) {
                assertTrue(allowed, "mapped " + e + " as d" + mapper);
                assertEquals(Page.addressOf(granter.memory.lookup(e.frame())), r[2]);
                assertEquals(GntSt.OKAY, dom[mapper].unmap(r[1], r[2]));
            } else {
                assertTrue(r[0] == GntSt.GENERAL_ERROR || r[0] == GntSt.BAD_PAGE, GrantFixture.st(r[0]));
                if (r[0] == GntSt.GENERAL_ERROR) {
                    assertEquals(raw, granter.view.getLong(granter.entryAddress(8)), "a refused entry is left alone");
                }
            }
            assertEquals(0, granter.table.totalPins());
        }
    }
}
