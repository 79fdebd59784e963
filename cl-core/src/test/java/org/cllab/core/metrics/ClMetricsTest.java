package org.cllab.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every expected value below is worked out by hand in the comments, in the papers' 1-based
 * notation R[i][j] (row i = after training task i, row 0 = untrained, task j = 1..T). In code,
 * R[i][j] is {@code get(i, j - 1)}.
 */
class ClMetricsTest {

    private static final double EPS = 1e-12;

    /**
     * Three tasks; task 1 gains from training task 2 (0.80 -> 0.90) and then drops to 0.60, so its
     * maximum accuracy is NOT on the diagonal.
     * <pre>
     *            task1 task2 task3
     *   row 0    0.10  0.20  0.30   (b_j)
     *   row 1    0.80  0.40  0.35
     *   row 2    0.90  0.70  0.45
     *   row 3    0.60  0.50  0.95
     * </pre>
     * This is the worked example in docs/metrics.md.
     */
    static AccuracyMatrix threeTasksWithLateMax() {
        return AccuracyMatrix.ofRows(new double[][] {
            {0.10, 0.20, 0.30},
            {0.80, 0.40, 0.35},
            {0.90, 0.70, 0.45},
            {0.60, 0.50, 0.95},
        });
    }

    @Test
    void threeTaskMatrixByHand() {
        AccuracyMatrix r = threeTasksWithLateMax();

        // ACC = (R[3][1] + R[3][2] + R[3][3]) / 3 = (0.60 + 0.50 + 0.95) / 3 = 2.05 / 3 = 0.683333...
        assertEquals(2.05 / 3, ClMetrics.acc(r), EPS);

        // LA = (R[1][1] + R[2][2] + R[3][3]) / 3 = (0.80 + 0.70 + 0.95) / 3 = 2.45 / 3 = 0.816666...
        assertEquals(2.45 / 3, ClMetrics.learningAccuracy(r), EPS);

        // BWT = 1/(T-1) * [(R[3][1] - R[1][1]) + (R[3][2] - R[2][2])]
        //     = 1/2 * [(0.60 - 0.80) + (0.50 - 0.70)] = 1/2 * (-0.20 - 0.20) = -0.20
        // (GEM's code would report -0.40 / 3 = -0.1333...)
        assertEquals(-0.20, ClMetrics.bwt(r), EPS);

        // FWT = 1/(T-1) * [(R[1][2] - b_2) + (R[2][3] - b_3)]
        //     = 1/2 * [(0.40 - 0.20) + (0.45 - 0.30)] = 1/2 * (0.20 + 0.15) = 0.175
        assertEquals(0.175, ClMetrics.fwt(r), EPS);

        // f_1 = max(R[1][1], R[2][1]) - R[3][1] = max(0.80, 0.90) - 0.60 = 0.90 - 0.60 = 0.30
        // f_2 = max(R[2][2])          - R[3][2] = 0.70 - 0.50                          = 0.20
        // F   = (0.30 + 0.20) / 2 = 0.25   (a diagonal-only max would give 0.20 = -BWT)
        assertArrayEquals(new double[] {0.30, 0.20}, ClMetrics.forgettingPerTask(r), EPS);
        assertEquals(0.25, ClMetrics.forgetting(r), EPS);

        MetricSummary s = MetricSummary.of(r);
        assertEquals(2.05 / 3, s.acc(), EPS);
        assertEquals(-0.20, s.bwt(), EPS);
        assertEquals(0.175, s.fwt(), EPS);
        assertEquals(0.25, s.forgetting(), EPS);
        assertEquals(2.45 / 3, s.learningAccuracy(), EPS);
    }

    @Test
    void perfectLearnerHasNoForgettingAndZeroBackwardTransfer() {
        // Untrained and not-yet-trained tasks sit at chance 0.5; every learned task stays at 1.0.
        //            t1   t2   t3
        //   row 0   0.5  0.5  0.5
        //   row 1   1.0  0.5  0.5
        //   row 2   1.0  1.0  0.5
        //   row 3   1.0  1.0  1.0
        AccuracyMatrix r = AccuracyMatrix.ofRows(new double[][] {
            {0.5, 0.5, 0.5},
            {1.0, 0.5, 0.5},
            {1.0, 1.0, 0.5},
            {1.0, 1.0, 1.0},
        });
        // ACC = (1 + 1 + 1) / 3 = 1
        assertEquals(1.0, ClMetrics.acc(r), EPS);
        // BWT = 1/2 * [(1 - 1) + (1 - 1)] = 0
        assertEquals(0.0, ClMetrics.bwt(r), EPS);
        // F: f_1 = max(1, 1) - 1 = 0, f_2 = 1 - 1 = 0 => 0
        assertEquals(0.0, ClMetrics.forgetting(r), EPS);
        // FWT = 1/2 * [(R[1][2] - b_2) + (R[2][3] - b_3)] = 1/2 * [(0.5 - 0.5) + (0.5 - 0.5)] = 0
        assertEquals(0.0, ClMetrics.fwt(r), EPS);
        // LA = (1 + 1 + 1) / 3 = 1
        assertEquals(1.0, ClMetrics.learningAccuracy(r), EPS);
    }

    @Test
    void finetuneLikePatternForgetsEverything() {
        // T = 4, R[i][i] = 1 (1-based), every other cell 0 (including row 0):
        //            t1 t2 t3 t4
        //   row 0     0  0  0  0
        //   row 1     1  0  0  0
        //   row 2     0  1  0  0
        //   row 3     0  0  1  0
        //   row 4     0  0  0  1
        int t = 4;
        AccuracyMatrix.Builder b = AccuracyMatrix.builder(t);
        for (int row = 0; row <= t; row++) {
            for (int task = 0; task < t; task++) {
                b.set(row, task, row == task + 1 ? 1.0 : 0.0);
            }
        }
        AccuracyMatrix r = b.build();

        // ACC = (0 + 0 + 0 + 1) / 4 = 1/T = 0.25
        assertEquals(0.25, ClMetrics.acc(r), EPS);
        // BWT = 1/3 * [(0 - 1) + (0 - 1) + (0 - 1)] = -3/3 = -1
        assertEquals(-1.0, ClMetrics.bwt(r), EPS);
        // f_j = max_{l=j..3} R[l][j] - R[4][j] = R[j][j] - 0 = 1 for j = 1..3 => F = 1
        assertArrayEquals(new double[] {1.0, 1.0, 1.0}, ClMetrics.forgettingPerTask(r), EPS);
        assertEquals(1.0, ClMetrics.forgetting(r), EPS);
        // FWT = 1/3 * [(R[1][2] - b_2) + (R[2][3] - b_3) + (R[3][4] - b_4)] = 1/3 * (0 + 0 + 0) = 0
        assertEquals(0.0, ClMetrics.fwt(r), EPS);
        // LA = (1 + 1 + 1 + 1) / 4 = 1
        assertEquals(1.0, ClMetrics.learningAccuracy(r), EPS);
    }

    @Test
    void forwardTransferUsesRowZeroAndTheRowBeforeTraining() {
        //            t1    t2    t3
        //   row 0   0.10  0.25  0.50   (b_j)
        //   row 1   0.90  0.45  0.30
        //   row 2   0.85  0.95  0.70
        //   row 3   0.80  0.90  0.99
        double[][] rows = {
            {0.10, 0.25, 0.50},
            {0.90, 0.45, 0.30},
            {0.85, 0.95, 0.70},
            {0.80, 0.90, 0.99},
        };
        AccuracyMatrix r = AccuracyMatrix.ofRows(rows);
        // FWT = 1/2 * [(R[1][2] - b_2) + (R[2][3] - b_3)] = 1/2 * [(0.45 - 0.25) + (0.70 - 0.50)]
        //     = 1/2 * (0.20 + 0.20) = 0.20
        // (The index-translation trap, R[j][j] - b_j, would give 1/2 * [(0.95 - 0.25) + (0.99 - 0.50)]
        //  = 0.595; forgetting row 0 altogether, R[j-1][j] alone, would give (0.45 + 0.70) / 2 = 0.575.)
        assertEquals(0.20, ClMetrics.fwt(r), EPS);

        // Same matrix with a zero row 0: FWT = 1/2 * [(0.45 - 0) + (0.70 - 0)] = 0.575.
        rows[0] = new double[] {0.0, 0.0, 0.0};
        assertEquals(0.575, ClMetrics.fwt(AccuracyMatrix.ofRows(rows)), EPS);
    }

    @Test
    void forgettingIgnoresAccuracyBeforeTheTaskWasLearned() {
        // Task 2 already scores 0.80 after training task 1 (before it was trained), more than its
        // 0.60 right after training it.
        //            t1    t2    t3
        //   row 0   0.10  0.10  0.10
        //   row 1   0.90  0.80  0.10
        //   row 2   0.85  0.60  0.10
        //   row 3   0.70  0.40  0.90
        AccuracyMatrix r = AccuracyMatrix.ofRows(new double[][] {
            {0.10, 0.10, 0.10},
            {0.90, 0.80, 0.10},
            {0.85, 0.60, 0.10},
            {0.70, 0.40, 0.90},
        });
        // f_1 = max(R[1][1], R[2][1]) - R[3][1] = max(0.90, 0.85) - 0.70 = 0.20
        // f_2 = max(R[2][2])          - R[3][2] = 0.60 - 0.40             = 0.20   (row 1 excluded)
        // F   = (0.20 + 0.20) / 2 = 0.20
        // (A-GEM's compute_fgt takes max over rows 1..2 for task 2 too: 0.80 - 0.40 = 0.40, F = 0.30.)
        assertArrayEquals(new double[] {0.20, 0.20}, ClMetrics.forgettingPerTask(r), EPS);
        assertEquals(0.20, ClMetrics.forgetting(r), EPS);
    }

    @Test
    void intransigenceAgainstJointDiagonal() {
        AccuracyMatrix r = threeTasksWithLateMax();
        // a* (joint model on tasks 1..k, evaluated on task k) = 0.85, 0.80, 0.95
        // diagonal R[k][k] = 0.80, 0.70, 0.95
        // I_1 = 0.85 - 0.80 = 0.05; I_2 = 0.80 - 0.70 = 0.10; I_3 = 0.95 - 0.95 = 0.00
        // I   = (0.05 + 0.10 + 0.00) / 3 = 0.05
        double[] joint = {0.85, 0.80, 0.95};
        assertArrayEquals(new double[] {0.05, 0.10, 0.00}, ClMetrics.intransigencePerTask(r, joint), EPS);
        assertEquals(0.05, ClMetrics.intransigence(r, joint), EPS);
    }

    @Test
    void intransigenceRejectsBadJointReference() {
        AccuracyMatrix r = threeTasksWithLateMax();
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> ClMetrics.intransigence(r, new double[] {0.9, 0.9}));
        assertTrue(len.getMessage().contains("expected one per task (3)"), len.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ClMetrics.intransigencePerTask(r, new double[] {0.9, Double.NaN, 0.9}));
        assertThrows(IllegalArgumentException.class,
                () -> ClMetrics.intransigencePerTask(r, new double[] {0.9, 1.5, 0.9}));
        assertThrows(NullPointerException.class, () -> ClMetrics.intransigence(r, null));
    }

    @Test
    void singleTaskLeavesTransferAndForgettingUndefined() {
        //            t1
        //   row 0   0.10
        //   row 1   0.90
        AccuracyMatrix r = AccuracyMatrix.ofRows(new double[][] {{0.10}, {0.90}});
        // ACC = R[1][1] = 0.90; LA = R[1][1] = 0.90
        assertEquals(0.90, ClMetrics.acc(r), EPS);
        assertEquals(0.90, ClMetrics.learningAccuracy(r), EPS);
        // BWT, FWT, F divide by T - 1 = 0 and have no terms: NaN by definition.
        assertTrue(Double.isNaN(ClMetrics.bwt(r)));
        assertTrue(Double.isNaN(ClMetrics.fwt(r)));
        assertTrue(Double.isNaN(ClMetrics.forgetting(r)));
        assertEquals(0, ClMetrics.forgettingPerTask(r).length);
        // I_1 = 0.95 - 0.90 = 0.05
        assertEquals(0.05, ClMetrics.intransigence(r, new double[] {0.95}), EPS);

        MetricSummary s = MetricSummary.of(r);
        assertEquals(0.90, s.acc(), EPS);
        assertTrue(Double.isNaN(s.bwt()));
        assertTrue(Double.isNaN(s.fwt()));
        assertTrue(Double.isNaN(s.forgetting()));
        assertEquals(0.90, s.learningAccuracy(), EPS);
    }

    @Test
    void gemCodeNormalisationIsAFixedRescaling() {
        // Documented relation: GEM's code averages BWT over T tasks (last term 0), i.e.
        // bwt_gemcode = bwt * (T - 1) / T. For the 3-task matrix: sum of terms = -0.40,
        // paper form -0.40 / 2 = -0.20, GEM code -0.40 / 3 = -0.1333...
        AccuracyMatrix r = threeTasksWithLateMax();
        assertEquals(-0.40 / 3, ClMetrics.bwt(r) * 2 / 3, EPS);
    }
}
