package org.cllab.core.data;

/** A view of some samples of another {@link TaskData}, in the order of the given indices. */
public final class SubsetTaskData implements TaskData {
    private final TaskData base;
    private final int[] indices;

    public SubsetTaskData(TaskData base, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= base.size()) {
                throw new IndexOutOfBoundsException("sample " + i + " of " + base.size());
            }
        }
        this.base = base;
        this.indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int featureDim() {
        return base.featureDim();
    }

    @Override
    public void copyFeatures(int i, float[] dst, int offset) {
        base.copyFeatures(indices[i], dst, offset);
    }

    @Override
    public int classLabel(int i) {
        return base.classLabel(indices[i]);
    }

    @Override
    public int localLabel(int i) {
        return base.localLabel(indices[i]);
    }
}
