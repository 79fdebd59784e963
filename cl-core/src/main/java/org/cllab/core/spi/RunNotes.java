package org.cllab.core.spi;

/**
 * Optional: a learner with something to say in the run log once it is built and once training is over (sizes,
 * initialisation statistics). The runner logs non-empty notes; it never interprets them.
 */
public interface RunNotes {
    /** Logged after the learner is built, before training. */
    default String startNote() {
        return "";
    }

    /** Logged after the last task. */
    default String endNote() {
        return "";
    }
}
