package org.cllab.runs.run;

/** A run was asked to stop (SIGTERM or SIGINT) and stopped at a safe point; see {@link RunSignals}. */
public final class RunInterruptedException extends RuntimeException {
    private final String signal;

    /** @param signal the signal's name without {@code SIG} ({@code TERM}, {@code INT}) */
    public RunInterruptedException(String signal) {
        super("interrupted by SIG" + signal);
        this.signal = signal;
    }

    /** The signal's name without {@code SIG}. */
    public String signal() {
        return signal;
    }
}
