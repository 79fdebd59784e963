/**
 * Sweeps: many runs from one sweep file, run locally or on SLURM, resumable.
 *
 * <h2>Model</h2>
 * {@link org.cllab.runs.sweep.SweepFile} parses a sweep file into a {@link org.cllab.runs.sweep.SweepSpec} (base
 * config, {@code set}, learners, grid, random draws, seeds, devices, GPU memory, SLURM settings);
 * {@link org.cllab.runs.sweep.SweepExpander} expands it into a {@link org.cllab.runs.sweep.SweepPlan} of
 * {@link org.cllab.runs.sweep.SweepRun}s, each validated with the normal {@code ConfigLoader} and identified by the
 * hash of its resolved config. Nothing is written before the whole plan is valid.
 *
 * <h2>Directory</h2>
 * {@link org.cllab.runs.sweep.SweepLayout}: {@code DIR/sweep.yaml}, {@code DIR/sweep-index.json}
 * ({@link org.cllab.runs.sweep.SweepIndex}), {@code DIR/runs/<id>/} (a normal {@code cl run} directory plus
 * {@code worker.out}/{@code worker.err}) and {@code DIR/report/}.
 *
 * <h2>Executors</h2>
 * {@link org.cllab.runs.sweep.SweepExecutor} is the extension point: {@link org.cllab.runs.sweep.SweepRunner} does
 * everything executor-independent (validation, directory checks, skip/resume decisions, index, progress, report) and
 * hands the unfinished runs to an executor from {@link org.cllab.runs.sweep.ExecutorFactory}. An executor starts each
 * run with {@link org.cllab.runs.sweep.WorkerCommand} ({@code java ... Cl run DIR/runs/<id>/config.yaml --out
 * DIR/runs/<id>} plus {@link org.cllab.runs.sweep.WorkerCommand#environment}) and reports state changes to a
 * {@link org.cllab.runs.sweep.SweepListener}. {@link org.cllab.runs.sweep.LocalExecutor} runs worker JVMs on this
 * machine with a {@link org.cllab.runs.sweep.DeviceScheduler}; the SLURM executor submits a job array. Resume needs
 * nothing from an executor: a worker started on a partly done run directory continues after its last checkpoint, and
 * finished runs are never handed to an executor.
 */
package org.cllab.runs.sweep;
