package org.cllab.runs.sweep;

/** Where a run of a sweep stands, as recorded in {@code sweep-index.json} and shown by the progress line. */
public enum RunStatus {
    /** Not started in this session (a partly done run resumes from its last checkpoint when started). */
    PENDING,
    /** Handed to a scheduler that has not started it yet (SLURM: pending in the queue). */
    QUEUED,
    /** Its worker process is running. */
    RUNNING,
    /** {@code summary.json} says finished. */
    FINISHED,
    /** Its worker ended without a finished {@code summary.json} (after any retries). */
    FAILED;

    /** Lower-case name used in the index. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
