package org.cllab.runs.sweep;

/**
 * Command-line settings of an executor.
 *
 * @param workers          runs at a time (local executor; the SLURM executor uses {@code slurm.max_concurrent})
 * @param threadsPerWorker {@code OMP_NUM_THREADS} of each worker; 0 = available cores / workers (at least 1)
 */
public record ExecutorOptions(int workers, int threadsPerWorker) {
    public ExecutorOptions {
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
