package org.cllab.core.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The number of CPU threads a run may use for work outside ND4J, and a helper to split a range over them. The budget
 * is the one the launcher, the sweep workers and the SLURM job scripts give ND4J: {@code OMP_NUM_THREADS} when it is
 * set to a positive number, else the cores the JVM sees. Work split with {@link #forParts} must give the same result
 * for any number of threads (each range is computed independently), so results do not depend on the budget.
 */
public final class CpuThreads {
    private static final int THREADS = budget(System.getenv("OMP_NUM_THREADS"),
            Runtime.getRuntime().availableProcessors());
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1,
            p -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setDaemon(true);
                t.setName("cllab-cpu-" + t.getPoolIndex());
                return t;
            }, null, false) : null;

    private CpuThreads() {
    }

    /** {@code omp} as a positive number if it parses as one, else {@code cores} (at least 1). */
    static int budget(String omp, int cores) {
        if (omp != null) {
            try {
                int v = Integer.parseInt(omp.trim());
                if (v > 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // not a number: fall back to the cores, as OpenMP does
            }
        }
        return Math.max(1, cores);
    }

    /** The thread budget of this process. */
    public static int count() {
        return THREADS;
    }

    /** A piece of work on the range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Splits {@code [0, n)} into at most {@link #count()} contiguous ranges of at least {@code minPart} items (at
     * least one range), range {@code p} of {@code P} covering {@code [n p / P, n (p + 1) / P)}, and runs {@code body}
     * on each, the calling thread taking the first; returns when all are done (an exception of any range is
     * rethrown).
     */
    public static void forParts(int n, int minPart, RangeBody body) {
        int parts = POOL == null ? 1 : Math.max(1, Math.min(THREADS, n / Math.max(1, minPart)));
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            tasks[p - 1] = POOL.submit(() -> body.run(from, to));
        }
        body.run(0, n / parts);
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
