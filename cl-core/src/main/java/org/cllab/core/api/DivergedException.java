package org.cllab.core.api;

/**
 * Training produced a non-finite number (loss or parameter): the run cannot continue meaningfully, and rerunning it
 * gives the same result (training is deterministic). Thrown by {@link DivergenceGuard} and by checkpoint writers that
 * find a non-finite parameter; the runner records it as the run's failure.
 */
public final class DivergedException extends RuntimeException {
    private final int task;
    private final long step;
    private final String what;
    private final String found;

    /**
     * @param task  1-based task number in which it happened (0: before training)
     * @param step  optimiser step within the task (1-based), or -1 when found at the task boundary
     * @param what  what was non-finite, e.g. {@code loss} or {@code parameter mlp/W0}
     * @param found what was found instead of a finite number: {@code NaN}, {@code Infinity}, ...
     */
    public DivergedException(int task, long step, String what, String found) {
        super("training diverged: " + what + " is " + found + " in task " + task
                + (step >= 0 ? " at step " + step : " at the end of the task"));
        this.task = task;
        this.step = step;
        this.what = what;
        this.found = found;
    }

    /** 1-based task number (0: before training). */
    public int task() {
        return task;
    }

    /** 1-based step within the task, or -1 when found at the task boundary. */
    public long step() {
        return step;
    }

    /** What was non-finite. */
    public String what() {
        return what;
    }

    /** What was found instead of a finite number. */
    public String found() {
        return found;
    }
}
