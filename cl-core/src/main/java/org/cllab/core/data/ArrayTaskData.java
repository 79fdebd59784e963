package org.cllab.core.data;

import java.util.Objects;

/** {@link TaskData} backed by plain arrays; used for small synthetic streams and tests. */
public final class ArrayTaskData implements TaskData {
    private final float[] features;
    private final int dim;
    private final int[] classLabels;
    private final int[] localLabels;

    /**
     * @param features    row-major {@code n * dim} features (copied)
     * @param dim         feature dimension
     * @param classLabels scenario-wide labels (copied)
     * @param localLabels task-local labels (copied)
     */
    public ArrayTaskData(float[] features, int dim, int[] classLabels, int[] localLabels) {
        Objects.requireNonNull(features);
        if (dim <= 0 || features.length != classLabels.length * dim || classLabels.length != localLabels.length) {
            throw new IllegalArgumentException("inconsistent shapes: features " + features.length + ", dim " + dim
                    + ", labels " + classLabels.length + "/" + localLabels.length);
        }
        this.features = features.clone();
        this.dim = dim;
        this.classLabels = classLabels.clone();
        this.localLabels = localLabels.clone();
    }

    @Override
    public int size() {
        return classLabels.length;
    }

    @Override
    public int featureDim() {
        return dim;
    }

    @Override
    public void copyFeatures(int i, float[] dst, int offset) {
        System.arraycopy(features, i * dim, dst, offset, dim);
    }

    @Override
    public int classLabel(int i) {
        return classLabels[i];
    }

    @Override
    public int localLabel(int i) {
        return localLabels[i];
    }
}
