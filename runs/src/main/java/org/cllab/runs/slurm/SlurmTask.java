package org.cllab.runs.slurm;

/**
 * What SLURM reports about one job or one task of a job array.
 *
 * @param jobId       the job id of the task itself ({@code %A}, {@code JobId=}); for array tasks not yet split off
 *                    a pending array, the array's job id
 * @param arrayJobId  the job id of the array ({@code %F}, {@code ArrayJobId=}); {@code jobId} for a plain job
 * @param arrayTaskId the task index ({@code %K}, {@code ArrayTaskId=}), or {@link #NOT_ARRAY}
 * @param state       the state
 * @param exitCode    the exit code of the batch script, or {@link #NO_EXIT_CODE} when not reported (live states)
 * @param signal      the signal that ended it (0 = none), or 0 when not reported
 * @param reason      the scheduler's reason ({@code None}, {@code JobArrayTaskLimit}, {@code NonZeroExitCode}, ...),
 *                    empty when not reported
 * @param name        the job name ({@code --job-name}), empty when not reported
 * @param source      which tool reported it: {@code squeue}, {@code scontrol}, {@code sacct} or {@code jobcomp}
 */
public record SlurmTask(long jobId, long arrayJobId, int arrayTaskId, JobState state, int exitCode, int signal,
                        String reason, String name, String source) {
    /** {@link #arrayTaskId} of a job that is not part of an array. */
    public static final int NOT_ARRAY = -1;
    /** {@link #exitCode} when the tool did not report one. */
    public static final int NO_EXIT_CODE = -1;

    /** Ended with exit code 0 and no signal. */
    public boolean succeeded() {
        return state.isSuccess() && exitCode <= 0 && signal == 0;
    }

    /** {@code ARRAY_TASK} or {@code JOB} as SLURM writes it ({@code 12_3}, {@code 12}). */
    public String label() {
        return arrayTaskId == NOT_ARRAY ? Long.toString(jobId) : arrayJobId + "_" + arrayTaskId;
    }
}
