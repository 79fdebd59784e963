/**
 * Long-lived workers: one JVM that executes several runs one after the other ({@code cl worker}), for sweeps of
 * short runs where starting a JVM and ND4J per run costs more than the run.
 *
 * <p>{@link org.cllab.runs.worker.RunWorker} reads {@code RUN_DIR<TAB>CONFIG} lines from standard input and runs
 * each exactly as {@code cl run CONFIG --out RUN_DIR} would, with the run's standard output and error in
 * {@code RUN_DIR/worker.out} / {@code worker.err}; {@link org.cllab.runs.worker.JvmState} puts back between runs
 * what a run may change in the JVM (system properties, ND4J default data types and workspaces, log appenders) so
 * that a run in a reused JVM is byte-identical to the same run in a fresh JVM. The local sweep executor feeds
 * workers through a pipe; a packed SLURM array task ({@code slurm.runs_per_task}) pipes its lines of the task list.
 */
package org.cllab.runs.worker;
