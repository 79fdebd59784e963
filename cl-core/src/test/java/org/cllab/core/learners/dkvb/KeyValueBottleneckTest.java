package org.cllab.core.learners.dkvb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The nearest-key search (one matrix product and argmax per codebook) against a brute-force reference: the squared
 * Euclidean distance of every head to every key in double precision, smallest first, on a fixed random sample.
 */
class KeyValueBottleneckTest {
    private static final int D = 128;
    private static final int C = 16;
    private static final int K = 14;
    private int m = 1024;
    private int n = 96;

    private KeyValueBottleneck bottleneck(boolean direct) {
        KeyValueBottleneck b = new KeyValueBottleneck(D, C, m, K, DkvbSpec.Split.RANDOM_PROJECTION, new Rng(3));
        if (direct) {
            // on the CPU backend the tiled direct-BLAS search must be there: without it the test would not test it
            assertTrue(b.useDirectBlas(true), "direct OpenBLAS calls not available on the CPU backend");
        } else {
            b.useDirectBlas(false);
        }
        Rng rng = new Rng(4);
        float[] keys = b.keys();
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (float) (0.3 * rng.nextGaussian());
        }
        b.keysChanged();
        return b;
    }

    private INDArray sample() {
        Rng rng = new Rng(5);
        float[] x = new float[n * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
        }
        return Nd4j.create(x, new long[] {n, D}, DataType.FLOAT);
    }

    /** Brute force: per head, the {@code topK} usable keys of smallest squared distance (global indices, -1 if none). */
    private int[] reference(KeyValueBottleneck b, INDArray x, int topK, boolean[] usable) {
        int N = n;
        int M = m;
        float[] h = b.headsArray(x);
        float[] keys = b.keys();
        int[] out = new int[N * C * topK];
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < C; c++) {
                double[] dist = new double[M];
                for (int j = 0; j < M; j++) {
                    double s = 0;
                    for (int u = 0; u < K; u++) {
                        double d = (double) h[(i * C + c) * K + u] - keys[(c * M + j) * K + u];
                        s += d * d;
                    }
                    dist[j] = usable == null || usable[c * M + j] ? s : Double.POSITIVE_INFINITY;
                }
                for (int r = 0; r < topK; r++) {
                    int arg = -1;
                    for (int j = 0; j < M; j++) {
                        if (dist[j] != Double.POSITIVE_INFINITY && (arg < 0 || dist[j] < dist[arg])) {
                            arg = j;
                        }
                    }
                    out[(i * C + c) * topK + r] = arg < 0 ? -1 : c * M + arg;
                    if (arg >= 0) {
                        dist[arg] = Double.POSITIVE_INFINITY;
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "direct BLAS: {0}")
    @ValueSource(booleans = {true, false})
    void topOneEqualsBruteForce(boolean direct) {
        KeyValueBottleneck b = bottleneck(direct);
        INDArray x = sample();
        assertArrayEquals(reference(b, x, 1, null), b.nearest(x, 1, null));
    }

    /** More samples than one block of the tiled search (256) and keys that do not fill the last tile. */
    @ParameterizedTest(name = "direct BLAS: {0}")
    @ValueSource(booleans = {true, false})
    void topOneEqualsBruteForceAcrossBlocksAndPartialTiles(boolean direct) {
        n = 300;
        m = 1000;
        KeyValueBottleneck b = bottleneck(direct);
        INDArray x = sample();
        assertArrayEquals(reference(b, x, 1, null), b.nearest(x, 1, null));
    }

    @Test
    void topThreeEqualsBruteForce() {
        KeyValueBottleneck b = bottleneck(false);
        INDArray x = sample();
        assertArrayEquals(reference(b, x, 3, null), b.nearest(x, 3, null));
    }

    @ParameterizedTest(name = "direct BLAS: {0}")
    @ValueSource(booleans = {true, false})
    void maskedSearchEqualsBruteForceAndMaskCanBeLifted(boolean direct) {
        int M = m;
        KeyValueBottleneck b = bottleneck(direct);
        INDArray x = sample();
        Rng rng = new Rng(6);
        boolean[] usable = new boolean[C * M];
        for (int q = 0; q < usable.length; q++) {
            usable[q] = rng.nextDouble() < 0.1;
        }
        // codebook 2 has no usable key at all: -1 in its slots
        java.util.Arrays.fill(usable, 2 * M, 3 * M, false);
        int[] expected = reference(b, x, 1, usable);
        assertTrue(expected[2] == -1);
        assertArrayEquals(expected, b.nearest(x, 1, usable));
        assertArrayEquals(reference(b, x, 2, usable), b.nearest(x, 2, usable));
        // the same search without a mask afterwards sees all keys again
        assertArrayEquals(reference(b, x, 1, null), b.nearest(x, 1, null));
    }
}
