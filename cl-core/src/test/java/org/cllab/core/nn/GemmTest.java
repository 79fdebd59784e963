package org.cllab.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.junit.jupiter.api.Test;

/**
 * The direct BLAS call of {@link Gemm#product} gives the same bits as ND4J's matmul, for row- and column-major inputs,
 * both transpose flags, sub-matrix views and the learners' shapes.
 */
class GemmTest {
    private static INDArray rand(long rows, long cols, char order, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, rows, cols).dup(order);
    }

    private static void check(INDArray a, INDArray b, boolean ta, boolean tb) {
        long rows = ta ? a.size(1) : a.size(0);
        long cols = tb ? b.size(0) : b.size(1);
        INDArray direct = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'f');
        assertTrue(Gemm.direct(a, b, direct, ta, tb), "direct call not taken for " + a.shapeInfoToString());
        INDArray ref = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'f');
        Nd4j.gemm(a, b, ref, ta, tb, 1.0, 0.0);
        int[] x = bits(direct);
        int[] y = bits(ref);
        assertArrayEquals(y, x, rows + "x" + cols + " ta=" + ta + " tb=" + tb + " orders " + a.ordering()
                + b.ordering());
    }

    private static int[] bits(INDArray m) {
        float[] v = m.dup('c').data().asFloat();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    @Test
    void sameBitsAsNd4jForOrdersAndTransposes() {
        assertTrue(CpuBlas.available(), "direct OpenBLAS calls must be available on the CPU backend");
        long[][] shapes = {{32, 784, 100}, {128, 784, 256}, {120, 100, 750}, {600, 16, 100}, {7, 13, 5}, {2, 2, 2}};
        long seed = 1;
        for (long[] s : shapes) {
            long m = s[0];
            long k = s[1];
            long n = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (char oa : new char[] {'c', 'f'}) {
                        for (char ob : new char[] {'c', 'f'}) {
                            INDArray a = ta ? rand(k, m, oa, seed++) : rand(m, k, oa, seed++);
                            INDArray b = tb ? rand(n, k, ob, seed++) : rand(k, n, ob, seed++);
                            check(a, b, ta, tb);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sameBitsForSubMatrixViews() {
        INDArray big = rand(300, 900, 'c', 42);
        INDArray a = big.get(NDArrayIndex.interval(10, 42), NDArrayIndex.interval(5, 789)); // [32, 784], ld 900
        INDArray w = rand(800, 120, 'f', 43).get(NDArrayIndex.interval(3, 787), NDArrayIndex.interval(0, 100));
        check(a, w, false, false);
        check(w, a, true, true);
    }

    @Test
    void vectorsAreLeftToNd4j() {
        INDArray row = rand(1, 50, 'c', 5);
        INDArray m = rand(50, 20, 'c', 6);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, new long[] {1, 20}, 'f');
        assertTrue(!Gemm.direct(row, m, c, false, false));
    }
}
