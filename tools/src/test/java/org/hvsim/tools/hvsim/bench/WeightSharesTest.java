package org.hvsim.tools.hvsim.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The share arithmetic of {@code hvsim bench-sched}. */
class WeightSharesTest {
    private static final double EPS = 1e-9;

    @Test
    void weightsOneOneTwoFourOnTwoPcpusAreAllFeasible() {
        assertArrayEquals(new double[] {0.125, 0.125, 0.25, 0.5},
                WeightShares.entitled(new int[] {256, 256, 512, 1024}, new int[] {1, 1, 1, 1}, 2), EPS);
    }

    @Test
    void aSingleVcpuCannotUseMoreThanOnePcpuAndTheRestGoesToTheOthersByWeight() {
        // 1:1:8 on 2 pCPUs: the heavy domain's 80% is more than its one vCPU's 50%; the others split the rest.
        assertArrayEquals(new double[] {0.25, 0.25, 0.5},
                WeightShares.entitled(new int[] {100, 100, 800}, new int[] {1, 1, 1}, 2), EPS);
        // Capping one may cap another: 1:3:30 with one pCPU each of three.
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3},
                WeightShares.entitled(new int[] {1, 30, 300}, new int[] {1, 1, 1}, 3), EPS);
        // Two vCPUs may use both pCPUs.
        assertArrayEquals(new double[] {0.2, 0.8},
                WeightShares.entitled(new int[] {1, 4}, new int[] {1, 2}, 2), EPS);
    }

    @Test
    void rowsCompareEachDomainsShareOfTheMeasuredCpuWithItsEntitlement() {
        List<WeightShares.Row> rows = WeightShares.rows(new int[] {256, 256, 512, 1024}, new int[] {1, 1, 1, 1}, 2,
                new long[] {1_400, 1_100, 2_500, 5_000});
        assertEquals(0.14, rows.get(0).share(), EPS);
        assertEquals(0.125, rows.get(0).entitled(), EPS);
        assertEquals(1.5, rows.get(0).errorPoints(), 1e-6);
        assertEquals(1.5, rows.get(1).errorPoints(), 1e-6);
        assertEquals(0.0, rows.get(2).errorPoints(), 1e-6);
        assertEquals(0.0, rows.get(3).errorPoints(), 1e-6);
        assertEquals(1.5, WeightShares.maxErrorPoints(rows), 1e-6);
    }

    @Test
    void mismatchedInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WeightShares.entitled(new int[] {1}, new int[] {1, 1}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> WeightShares.rows(new int[] {1, 1}, new int[] {1, 1}, 2, new long[] {1}));
    }
}
