package org.cllab.core.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Materialises feature matrices from {@link TaskData} for a range of sample indices. */
public final class Batches {
    private Batches() {
    }

    /** Features of samples {@code order[from..to)} as a {@code [to-from, featureDim]} float matrix. */
    public static INDArray features(TaskData data, int[] order, int from, int to) {
        int n = to - from;
        int d = data.featureDim();
        float[] buf = new float[n * d];
        for (int r = 0; r < n; r++) {
            data.copyFeatures(order[from + r], buf, r * d);
        }
        return Nd4j.create(buf, new long[] {n, d}, DataType.FLOAT);
    }

    /** Features of samples {@code from..to)} in storage order. */
    public static INDArray features(TaskData data, int from, int to) {
        int n = to - from;
        int d = data.featureDim();
        float[] buf = new float[n * d];
        for (int r = 0; r < n; r++) {
            data.copyFeatures(from + r, buf, r * d);
        }
        return Nd4j.create(buf, new long[] {n, d}, DataType.FLOAT);
    }

    /** Class labels of samples {@code order[from..to)}. */
    public static int[] classLabels(TaskData data, int[] order, int from, int to) {
        int[] y = new int[to - from];
        for (int r = 0; r < y.length; r++) {
            y[r] = data.classLabel(order[from + r]);
        }
        return y;
    }

    /** Local labels of samples {@code order[from..to)}. */
    public static int[] localLabels(TaskData data, int[] order, int from, int to) {
        int[] y = new int[to - from];
        for (int r = 0; r < y.length; r++) {
            y[r] = data.localLabel(order[from + r]);
        }
        return y;
    }

    /** The identity order 0..n-1. */
    public static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }
}
