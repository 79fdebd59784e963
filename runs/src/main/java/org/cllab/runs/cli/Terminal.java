package org.cllab.runs.cli;

import org.cllab.runs.config.RunConfig;

/** Terminal detection for progress bars. */
final class Terminal {
    private Terminal() {
    }

    static boolean progressBar(RunConfig cfg) {
        return switch (cfg.getString("run.progress")) {
            case "always" -> true;
            case "never" -> false;
            default -> System.console() != null && System.getenv("SLURM_JOB_ID") == null;
        };
    }
}
