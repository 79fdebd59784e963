package org.cllab.core.spi;

/**
 * What the runner lends a learner beyond its context: data from other sources than the stream (e.g. unlabeled
 * images for a key initialisation), loaded lazily and never the stream's own test data.
 */
public interface LearnerResources {
    /**
     * The training inputs of a registered dataset at its default location, passed through the run's frozen encoder
     * when there is one.
     *
     * @throws SettingProblem when the dataset cannot be loaded
     */
    Features trainingFeatures(String dataset);

    /** Whether the stream's inputs are a frozen encoder's features (then {@link #trainingFeatures} are too). */
    boolean encodedInputs();

    /**
     * A matrix of features.
     *
     * @param values      row-major {@code [n, dim]}
     * @param n           rows
     * @param dim         columns
     * @param description where they come from, for logs and provenance
     */
    record Features(float[] values, int n, int dim, String description) {
    }
}
