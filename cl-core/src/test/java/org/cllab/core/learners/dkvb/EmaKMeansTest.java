package org.cllab.core.learners.dkvb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;

/** The EMA k-means key update against values computed by hand. */
class EmaKMeansTest {
    private static final float[] HEADS = {0.2f, 0.4f, 2.6f};
    private static final int[] NEAREST = {0, 0, 1};

    @Test
    void emaUpdateWithLaplaceSmoothing() {
        // one codebook, two 1-d keys, decay 0.5, eps 0.1; state N = [1, 1], S = [0, 2] (keys 0 and 2)
        float[] keys = {0f, 2f};
        EmaKMeans km = new EmaKMeans(1, 2, 1, 0.5, 0.1, 0.1, keys);
        km.setState(new double[] {1, 1}, new double[] {0, 2});
        int dead = km.update(HEADS, 3, NEAREST, new Rng(1));
        // counts n = [2, 1], sums s = [0.6, 2.6]
        // N = 0.5*1 + 0.5*2 = 1.5 and 0.5*1 + 0.5*1 = 1.0; total 2.5
        assertArrayEquals(new double[] {1.5, 1.0}, km.clusterSize(), 1e-12);
        // S = 0.5*0 + 0.5*0.6 = 0.3 and 0.5*2 + 0.5*2.6 = 2.3
        // smoothed N~_0 = (1.5 + 0.1) / (2.5 + 2*0.1) * 2.5 = 1.481481..., key_0 = 0.3 / 1.481481 = 0.2025
        // smoothed N~_1 = (1.0 + 0.1) / 2.7 * 2.5 = 1.018518..., key_1 = 2.3 / 1.018518 = 2.258182
        assertEquals(0.2025f, keys[0], 1e-6f);
        assertEquals(2.2581818f, keys[1], 1e-6f);
        // dead threshold 0.1 * 3 / 2 = 0.15: no key is dead
        assertEquals(0, dead);
    }

    @Test
    void deadKeyIsReseededFromTheBatch() {
        // three keys, the third nearly unused: N = [1, 1, 0.4] -> [1.5, 1.0, 0.2]; dead fraction 0.5 -> threshold
        // 0.5 * 3 / 3 = 0.5, so key 2 is dead
        float[] keys = {0f, 2f, 5f};
        EmaKMeans km = new EmaKMeans(1, 3, 1, 0.5, 0.1, 0.5, keys);
        km.setState(new double[] {1, 1, 0.4}, new double[] {0, 2, 2});
        int dead = km.update(HEADS, 3, NEAREST, new Rng(1));
        assertEquals(1, dead);
        // total 2.7; N~_0 = 1.6 / (2.7 + 0.3) * 2.7 = 1.44 -> key 0.3 / 1.44; N~_1 = 1.1 / 3 * 2.7 = 0.99 -> 2.3 / 0.99
        assertEquals(0.3f / 1.44f, keys[0], 1e-6f);
        assertEquals(2.3f / 0.99f, keys[1], 1e-6f);
        assertTrue(keys[2] == 0.2f || keys[2] == 0.4f || keys[2] == 2.6f, "re-seeded from a batch head: " + keys[2]);
        // EMA sum of the re-seeded key = head * N~_2 with N~_2 = (0.2 + 0.1) / 3 * 2.7 = 0.27: a second update in
        // which key 2 receives nothing keeps it where it was put: S = 0.5 * head * 0.27, N = 0.1, re-seeded again
        // or, if alive, at S / N~ -- here N = 0.1 < 0.5 again, so it is re-seeded once more
        float[] keys2 = {0f, 2f, 5f};
        EmaKMeans km2 = new EmaKMeans(1, 3, 1, 0.5, 0.1, 0.0, keys2);
        km2.setState(new double[] {1, 1, 0.4}, new double[] {0, 2, 2});
        km2.update(HEADS, 3, NEAREST, new Rng(1));
        // dead fraction 0: nothing is re-seeded; key 2 = S_2 / N~_2 = (0.5*2) / ((0.2+0.1)/3*2.7) = 1 / 0.27
        assertEquals(1f / 0.27f, keys2[2], 1e-5f);
    }

    @Test
    void codebooksAreIndependent() {
        // two codebooks of 2-d heads laid out [n][C][dim]: codebook 1 sees the heads of codebook 0 plus 10
        int n = 2;
        float[] heads = {0f, 0f, 10f, 10f, 1f, 1f, 11f, 11f};
        float[] keys = new float[2 * 1 * 2];
        EmaKMeans km = new EmaKMeans(2, 1, 2, 0.5, 1e-5, 0.0, keys);
        km.seed(heads, n, new Rng(3));
        km.update(heads, n, new int[] {0, 0, 0, 0}, new Rng(3));
        // seeding puts each codebook's key on the same sample's head: key0 = (a, a) and (a + 10, a + 10), a in {0, 1};
        // N0 = n / M = 2. Update: N = 0.5*2 + 0.5*2 = 2, S = 0.5*key0*2 + 0.5*sum = key0 + 0.5*sum, N~ = 2, so
        // key = key0 / 2 + sum / 4: codebook 0 -> a/2 + 0.25, codebook 1 -> (a+10)/2 + 21/4 = a/2 + 10.25
        float a = 2 * (keys[0] - 0.25f);
        assertTrue(Math.abs(a) < 1e-6f || Math.abs(a - 1) < 1e-6f, "seeded on a batch head: a = " + a);
        assertEquals(keys[0], keys[1], 0f);
        assertEquals(keys[0] + 10f, keys[2], 1e-5f);
        assertEquals(keys[2], keys[3], 0f);
    }
}
