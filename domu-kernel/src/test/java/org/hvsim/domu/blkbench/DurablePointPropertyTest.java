package org.hvsim.domu.blkbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link DurablePoint} against a model that remembers every write: for any order of submissions, completions
 * (OK or failed) and flushes, the prefix is the lowest write not completed OK, a flush covers exactly the
 * writes completed before its submission, and no write is submitted a window or more past the prefix.
 */
class DurablePointPropertyTest {
    @Property(tries = 300)
    void theDurableCountIsTheCompletedPrefixAtTheLastCompletedFlushesSubmission(
            @ForAll @Size(max = 3000) List<@IntRange(min = 0, max = 99) Integer> steps,
            @ForAll @IntRange(min = 1, max = 64) int depth, @ForAll boolean writesFail) {
        DurablePoint p = new DurablePoint();
        List<Long> inFlight = new ArrayList<>();
        TreeSet<Long> notOk = new TreeSet<>();   // the model: every write submitted and not completed OK
        long submitted = 0;
        long frozen = -1;                        // the prefix when a write first failed
        long modelAtFlush = -1;
        long modelDurable = 0;
        for (int step : steps) {
            long lowestNotOk = notOk.isEmpty() ? submitted : notOk.first();
            long prefix = frozen >= 0 ? frozen : lowestNotOk;
            if (step < 45) {
                if (inFlight.size() < depth && p.canIssue()) {
                    long n = p.issue();
                    assertEquals(submitted++, n, "numbered in submission order");
                    inFlight.add(n);
                    notOk.add(n);
                }
            } else if (step < 88) {
                if (!inFlight.isEmpty()) {
                    long n = inFlight.remove(step % inFlight.size());
                    boolean ok = !writesFail || step != 87;
                    p.completed(n, ok);
                    if (ok) {
                        notOk.remove(n);
                    } else if (frozen < 0) {
                        frozen = prefix;
                    }
                }
            } else if (step < 94) {
                if (modelAtFlush < 0) {
                    p.flushSubmitted();
                    modelAtFlush = prefix;
                }
            } else if (modelAtFlush >= 0) {
                boolean ok = step != 99;
                boolean more = p.flushCompleted(ok);
                assertEquals(ok && modelAtFlush > modelDurable, more);
                if (more) {
                    modelDurable = modelAtFlush;
                }
                modelAtFlush = -1;
            }
            lowestNotOk = notOk.isEmpty() ? submitted : notOk.first();
            assertEquals(frozen >= 0 ? frozen : lowestNotOk, p.prefix(),
                    "the lowest write not completed OK, until one fails");
            assertTrue(p.prefix() <= lowestNotOk);
            assertEquals(modelDurable, p.durable());
            assertTrue(frozen >= 0 || submitted - p.prefix() <= DurablePoint.WINDOW, "within the window");
        }
    }

    @Property(tries = 50)
    void aWriteHeldUpStopsSubmissionsAtTheWindow(@ForAll @IntRange(min = 1, max = 200) int before) {
        DurablePoint p = new DurablePoint();
        for (int i = 0; i < before; i++) {
            p.completed(p.issue(), true);
        }
        long held = p.issue();
        int issued = 1;
        while (p.canIssue() && issued <= DurablePoint.WINDOW) {
            p.completed(p.issue(), true);
            issued++;
        }
        assertEquals(DurablePoint.WINDOW, issued);
        assertEquals(held, p.prefix());
        p.completed(held, true);
        assertEquals(held + DurablePoint.WINDOW, p.prefix(), "then the prefix jumps over every completed write");
        assertTrue(p.canIssue());
        assertFalse(p.flushCompleted(true), "no flush was submitted");
    }
}
