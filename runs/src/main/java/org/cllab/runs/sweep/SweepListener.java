package org.cllab.runs.sweep;

import java.util.Map;

/**
 * Receives the state changes of a sweep's runs from an executor. Implementations are thread-safe: executors call
 * them from their worker or polling threads.
 */
@FunctionalInterface
public interface SweepListener {
    /**
     * @param run    the run
     * @param status its new status
     * @param info   executor details recorded in the index entry of the run, e.g. {@code exit_code},
     *               {@code device}, {@code attempt}, {@code slurm_job_id}, {@code slurm_array_task_id}; may be empty
     */
    void onStatus(SweepRun run, RunStatus status, Map<String, String> info);

    /** A listener that ignores everything. */
    SweepListener NONE = (run, status, info) -> {
    };
}
