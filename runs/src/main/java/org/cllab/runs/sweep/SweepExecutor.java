package org.cllab.runs.sweep;

import java.io.IOException;
import java.util.List;

/**
 * Runs the runs of a sweep somewhere: {@link LocalExecutor} (worker JVMs on this machine) or the SLURM executor.
 *
 * <p>Contract. {@link SweepRunner} validates the whole sweep, writes {@code DIR/sweep.yaml} and the index, writes
 * every run's resolved {@code DIR/runs/<id>/config.yaml}, calls {@link #preflight} and then {@link #execute} with the
 * runs that are not finished. The executor starts each run as
 * {@link WorkerCommand#command(java.nio.file.Path, java.nio.file.Path)} (a {@code cl run} of the run's
 * {@code config.yaml} into its directory, which resumes a partly done run by itself) with
 * {@link WorkerCommand#environment} added to the environment, reports state changes to the listener
 * ({@link RunStatus#QUEUED} / {@link RunStatus#RUNNING} when handed over / started, {@link RunStatus#FINISHED} or
 * {@link RunStatus#FAILED} when its worker ended), and returns when every run has ended. Whether a run finished is
 * decided afterwards from its {@code summary.json}, not from exit codes. An executor never writes into a run
 * directory other than the worker's output files ({@code worker.out}, {@code worker.err}) and its own
 * bookkeeping files whose names start with {@code executor-}.
 */
public interface SweepExecutor {
    /** {@code local}, {@code slurm}. */
    String name();

    /**
     * Checks everything that can be checked before any run starts (e.g. that the SLURM controller answers) and
     * throws a one-line {@link org.cllab.runs.config.ConfigException} otherwise. Writes nothing.
     */
    default void preflight(SweepContext context) {
    }

    /**
     * Runs {@code runs} (none of them finished) and returns when all have ended.
     *
     * @throws InterruptedException when interrupted; the executor stops (or cancels) its workers before throwing
     */
    void execute(SweepContext context, List<SweepRun> runs, SweepListener listener)
            throws IOException, InterruptedException;
}
