package org.cllab.runs.sweep;

/**
 * What an executor gets besides the runs.
 *
 * @param plan    the validated sweep
 * @param layout  the sweep directory
 * @param options command-line settings of the executor
 * @param worker  how to start one run
 */
public record SweepContext(SweepPlan plan, SweepLayout layout, ExecutorOptions options, WorkerCommand worker) {
}
