package org.cllab.runs.sweep;

import java.util.List;
import org.cllab.runs.config.ConfigException;

/** The executors {@code ./cl sweep --executor NAME} knows. */
public final class ExecutorFactory {
    /** Names accepted by {@link #create}. */
    public static final List<String> NAMES = List.of("local", "slurm");

    private ExecutorFactory() {
    }

    /** The executor called {@code name}; unknown or unavailable names throw a one-line {@link ConfigException}. */
    public static SweepExecutor create(String name) {
        return switch (name) {
            case "local" -> new LocalExecutor();
            case "slurm" -> new org.cllab.runs.slurm.SlurmExecutor();
            default -> throw new ConfigException("--executor", name, "unknown executor (allowed: "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
