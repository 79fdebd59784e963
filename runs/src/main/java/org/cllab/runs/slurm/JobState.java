package org.cllab.runs.slurm;

import java.util.Locale;

/** The state of a SLURM job or array task, as printed by {@code squeue %T}, {@code scontrol} and {@code sacct}. */
public enum JobState {
    PENDING(false), CONFIGURING(false), RUNNING(false), COMPLETING(false), SUSPENDED(false), STOPPED(false),
    REQUEUED(false), REQUEUE_FED(false), REQUEUE_HOLD(false), RESIZING(false), SIGNALING(false), STAGE_OUT(false),
    RESV_DEL_HOLD(false), SPECIAL_EXIT(false),
    COMPLETED(true), FAILED(true), CANCELLED(true), TIMEOUT(true), NODE_FAIL(true), PREEMPTED(true),
    BOOT_FAIL(true), DEADLINE(true), OUT_OF_MEMORY(true), REVOKED(true),
    /** A state name this enum does not know (a newer SLURM); treated as not final. */
    UNKNOWN(false);

    private final boolean terminal;

    JobState(boolean terminal) {
        this.terminal = terminal;
    }

    /** The job will not run again (unless resubmitted). */
    public boolean isFinal() {
        return terminal;
    }

    /** Ended with exit code 0. */
    public boolean isSuccess() {
        return this == COMPLETED;
    }

    /** Waiting to be started by the scheduler. */
    public boolean isQueued() {
        return this == PENDING || this == REQUEUED || this == REQUEUE_HOLD || this == REQUEUE_FED
                || this == CONFIGURING;
    }

    /**
     * Parses a state as the tools print it: {@code RUNNING}, {@code CANCELLED by 0} (sacct),
     * {@code CANCELLED+} (truncated), abbreviations of {@code squeue %t} are not accepted.
     */
    public static JobState parse(String text) {
        String s = text.strip();
        int cut = 0;
        while (cut < s.length() && (Character.isLetter(s.charAt(cut)) || s.charAt(cut) == '_')) {
            cut++;
        }
        s = s.substring(0, cut).toUpperCase(Locale.ROOT);
        for (JobState st : values()) {
            if (st.name().equals(s)) {
                return st;
            }
        }
        return UNKNOWN;
    }
}
