package org.cllab.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.data.TaskData;
import org.junit.jupiter.api.Test;

/** The shared fixture itself: shape, labels, reproducibility and cluster statistics. */
class SyntheticScenarioTest {

    private static float[] row(TaskData d, int i) {
        float[] v = new float[d.featureDim()];
        d.copyFeatures(i, v, 0);
        return v;
    }

    @Test
    void infoAndLabels() {
        SyntheticScenario s = SyntheticScenario.split(3, 2, 5, 4, 3, 99L);
        ScenarioInfo info = s.info();
        assertEquals(3, info.numTasks());
        assertEquals(6, info.numClasses());
        assertEquals(2, info.localClasses());
        assertEquals(5, info.featureDim());
        assertArrayEquals(new int[] {1, 1, 5}, info.inputShape());
        assertEquals("synthetic(seed=99)", s.dataProvenance());
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(new int[] {2 * t, 2 * t + 1}, info.task(t).classes());
            assertEquals(8, s.train(t).size());
            assertEquals(6, s.test(t).size());
            for (TaskData d : new TaskData[] {s.train(t), s.test(t)}) {
                for (int i = 0; i < d.size(); i++) {
                    int c = d.classLabel(i);
                    assertTrue(c == 2 * t || c == 2 * t + 1, "class " + c + " in task " + t);
                    assertEquals(c - 2 * t, d.localLabel(i));
                }
            }
        }
    }

    @Test
    void sameSeedSameDataDifferentSeedDifferentData() {
        SyntheticScenario a = SyntheticScenario.split(2, 2, 4, 5, 5, 1L);
        SyntheticScenario b = SyntheticScenario.split(2, 2, 4, 5, 5, 1L);
        SyntheticScenario c = SyntheticScenario.split(2, 2, 4, 5, 5, 2L);
        assertArrayEquals(row(a.train(1), 3), row(b.train(1), 3), 0f);
        assertArrayEquals(row(a.test(0), 2), row(b.test(0), 2), 0f);
        assertFalse(Arrays.equals(row(a.train(1), 3), row(c.train(1), 3)));
        // training and test samples are different draws
        assertFalse(Arrays.equals(row(a.train(0), 0), row(a.test(0), 0)));
    }

    @Test
    void samplesScatterAroundTheirCentreWithUnitNoise() {
        int dim = 10;
        int perClass = 400;
        SyntheticScenario s = SyntheticScenario.split(1, 2, dim, perClass, 1, 5L);
        TaskData d = s.train(0);
        double[] sq = new double[2];
        double centreSq = 0;
        for (int c = 0; c < 2; c++) {
            for (float x : s.centre(c)) {
                centreSq += x * x;
            }
        }
        for (int i = 0; i < d.size(); i++) {
            float[] x = row(d, i);
            float[] m = s.centre(d.classLabel(i));
            for (int k = 0; k < dim; k++) {
                sq[d.classLabel(i)] += (x[k] - m[k]) * (x[k] - m[k]);
            }
        }
        // per-coordinate noise variance 1 (4000 draws per class: standard error about 0.022)
        assertEquals(1.0, sq[0] / (perClass * dim), 0.1);
        assertEquals(1.0, sq[1] / (perClass * dim), 0.1);
        // centre coordinates have variance 9 (20 draws: a loose bound only)
        double centreVar = centreSq / (2 * dim);
        assertTrue(centreVar > 3 && centreVar < 20, "centre variance " + centreVar);
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticScenario.split(0, 2, 5, 4, 3, 1L));
        assertThrows(IllegalArgumentException.class, () -> SyntheticScenario.split(2, 2, 5, 0, 3, 1L));
    }
}
