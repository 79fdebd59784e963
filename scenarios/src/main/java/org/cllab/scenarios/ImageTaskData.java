package org.cllab.scenarios;

import org.cllab.core.data.TaskData;
import org.cllab.scenarios.data.ImageSet;

/** The samples of one task: a view over an {@link ImageSet} with chosen indices, labels and transform. */
final class ImageTaskData implements TaskData {
    private final ImageSet images;
    private final int[] indices;
    private final int[] classLabels;
    private final int[] localLabels;
    private final PixelTransform transform;
    private final ThreadLocal<float[]> scratch;

    ImageTaskData(ImageSet images, int[] indices, int[] classLabels, int[] localLabels, PixelTransform transform) {
        this.images = images;
        this.indices = indices;
        this.classLabels = classLabels;
        this.localLabels = localLabels;
        this.transform = transform;
        this.scratch = ThreadLocal.withInitial(() -> new float[images.featureDim()]);
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int featureDim() {
        return images.featureDim();
    }

    @Override
    public void copyFeatures(int i, float[] dst, int offset) {
        if (transform == null) {
            images.copyImage(indices[i], dst, offset);
        } else {
            float[] s = scratch.get();
            images.copyImage(indices[i], s, 0);
            transform.apply(s, 0, dst, offset);
        }
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
