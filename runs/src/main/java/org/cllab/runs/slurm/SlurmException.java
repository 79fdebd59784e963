package org.cllab.runs.slurm;

/** A SLURM tool failed, timed out, or printed something unexpected. The message is one line. */
public final class SlurmException extends RuntimeException {
    public SlurmException(String message) {
        super(oneLine(message));
    }

    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
