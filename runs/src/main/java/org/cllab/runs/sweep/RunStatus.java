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
    /**
     * Its worker ended without a finished {@code summary.json} (after any retries), or its run diverged (the index
     * info {@code reason} says why; not retried).
     */
    FAILED,
    /**
     * Its worker was stopped by SIGTERM/SIGINT (preemption, time limit, Ctrl-C) at a safe point: not a failure, the
     * next session resumes it after its last boundary.
     */
    INTERRUPTED;

    /** Lower-case name used in the index. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
