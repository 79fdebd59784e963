package org.cllab.runs.run;

/** The run directory is in use by another process (its lock is held); the message names the holder. */
public final class RunDirectoryLockedException extends RuntimeException {
    public RunDirectoryLockedException(String message) {
        super(message);
    }
}
