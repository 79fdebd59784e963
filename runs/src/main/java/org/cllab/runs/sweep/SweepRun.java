package org.cllab.runs.sweep;

import java.util.Map;
import org.cllab.runs.config.RunConfig;

/**
 * One run of an expanded sweep.
 *
 * @param id        stable run id: the first 12 hex digits of the SHA-256 of the resolved config ({@link
 *                  RunConfig#hash()}); the run directory is {@code DIR/runs/<id>}
 * @param index     position in the expansion order (learners, then grid, then random draws, then seeds)
 * @param learner   {@code learner.type}
 * @param overrides what this run varies: the keys set by its learner entry, grid point and random draw (dotted key
 *                  to value, sorted by key), for the index and messages
 * @param seed      {@code run.seed}
 * @param config    the validated, resolved config
 */
public record SweepRun(String id, int index, String learner, Map<String, Object> overrides, long seed,
                       RunConfig config) {
    /** Length of a run id in hex digits. */
    public static final int ID_LENGTH = 12;

    public SweepRun {
        overrides = SweepFile.immutableMap(overrides);
    }

    /** A short human label, e.g. {@code ewc learner.lr=0.01 seed=1}. */
    public String label() {
        StringBuilder b = new StringBuilder(learner);
        overrides.forEach((k, v) -> {
            if (!k.equals("learner.type")) {
                b.append(' ').append(k).append('=').append(v);
            }
        });
        return b.append(" seed=").append(seed).toString();
    }
}
