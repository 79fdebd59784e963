package org.cllab.core.data;

/**
 * A task's training part that also carries a held-out validation split drawn from the same training images (never
 * from the test set), for learners that select a model or a stopping point on it (e.g. the multi-source scenario's
 * low-resource target). The samples of {@link #validation()} are not among this task's own samples.
 */
public interface ValidationSplit extends TaskData {
    /** The held-out validation samples, labelled like this task's samples. */
    TaskData validation();
}
