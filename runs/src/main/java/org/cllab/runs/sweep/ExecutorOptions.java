package org.cllab.runs.sweep;

/**
 * Command-line settings of an executor.
 *
 * @param workers          runs at a time (local executor; the SLURM executor uses {@code slurm.max_concurrent})
 * @param threadsPerWorker {@code OMP_NUM_THREADS} of each worker; 0 = available cores / workers (at least 1)
 * @param runsPerJvm       local executor: runs one worker JVM executes one after the other before it is replaced by
 *                         a fresh one (1 = a JVM per run)
 */
public record ExecutorOptions(int workers, int threadsPerWorker, int runsPerJvm) {
    /**
     * Default of {@link #runsPerJvm}, chosen by measurement (docs/user-guide.md, "Cost per run"): on 100 trivial
     * runs with 2 workers the sweep's wall time stops improving beyond about this many runs per JVM, and a JVM that
     * is replaced now and then bounds what a long sweep can accumulate in one process.
     */
    public static final int DEFAULT_RUNS_PER_JVM = 25;

    /** Options with the default {@link #runsPerJvm}. */
    public ExecutorOptions(int workers, int threadsPerWorker) {
        this(workers, threadsPerWorker, DEFAULT_RUNS_PER_JVM);
    }

    public ExecutorOptions {
        if (runsPerJvm < 1) {
            throw new IllegalArgumentException("runsPerJvm must be >= 1: " + runsPerJvm);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1: " + workers);
        }
        if (threadsPerWorker < 0) {
            throw new IllegalArgumentException("threadsPerWorker must be >= 0: " + threadsPerWorker);
        }
    }

    /** The thread count per worker after resolving 0 (= cores / workers, at least 1). */
    public int resolvedThreads() {
        if (threadsPerWorker > 0) {
            return threadsPerWorker;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    }
}
