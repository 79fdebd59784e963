package org.cllab.hypernets.generators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorZScoreTest {
    @Test
    void eachTensorGetsZeroMeanUnitStdAndMapsBack() {
        int[] offsets = {0, 2, 5};
        float[] c1 = {1, 3, 10, 20, 30};
        float[] c2 = {5, 7, 40, 50, 60};
        TensorZScore z = TensorZScore.fit(offsets, List.of(c1, c2));
        // tensor 0: values 1,3,5,7 -> mean 4, population std sqrt(5)
        assertEquals(4.0, z.mean()[0], 1e-12);
        assertEquals(Math.sqrt(5.0), z.std()[0], 1e-12);
        assertEquals(35.0, z.mean()[1], 1e-12);
        float[] n1 = z.normalise(c1);
        float[] n2 = z.normalise(c2);
        double s = 0;
        double ss = 0;
        for (int i = 2; i < 5; i++) {
            s += n1[i] + n2[i];
            ss += n1[i] * n1[i] + n2[i] * n2[i];
        }
        assertEquals(0.0, s / 6, 1e-6);
        assertEquals(1.0, ss / 6, 1e-6);
        assertArrayEquals(c1, z.denormalise(n1), 1e-5f);
    }

    @Test
    void aConstantTensorMapsToZeroAndBack() {
        TensorZScore z = TensorZScore.fit(new int[] {0, 3}, List.of(new float[] {0, 0, 0}));
        assertArrayEquals(new float[] {0, 0, 0}, z.normalise(new float[] {0, 0, 0}));
        assertArrayEquals(new float[] {0, 0, 0}, z.denormalise(new float[] {0, 0, 0}));
    }
}
