package org.cllab.core.data;

/**
 * The samples of one task (training or test part), read-only.
 *
 * <p>Every sample has two labels: its <em>class label</em> in the scenario-wide class space (what a
 * class-incremental learner must predict) and its <em>local label</em> in the task's own label space
 * {@code 0..localClasses-1} (what task- and domain-incremental evaluation asks for). For Split-MNIST task
 * {4, 7}: class labels 4 and 7, local labels 0 and 1. For Permuted-MNIST task 3: class label {@code 3*10+digit},
 * local label {@code digit}.
 *
 * <p>Implementations are views: features may be computed on the fly (pixel permutation, rotation) and must be
 * deterministic.
 */
public interface TaskData {
    /** Number of samples. */
    int size();

    /** Length of one feature vector. */
    int featureDim();

    /** Copies the features of sample {@code i} into {@code dst[offset .. offset+featureDim)}. */
    void copyFeatures(int i, float[] dst, int offset);

    /** Label of sample {@code i} in the scenario-wide class space. */
    int classLabel(int i);

    /** Label of sample {@code i} in its task's local label space. */
    int localLabel(int i);
}
