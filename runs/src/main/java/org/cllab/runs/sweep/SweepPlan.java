package org.cllab.runs.sweep;

import java.util.List;
import java.util.Optional;

/**
 * An expanded, fully validated sweep: every run's config passed the normal {@code ConfigLoader} checks and no two
 * runs share an id. Built by {@link SweepExpander#expand(SweepSpec)}.
 *
 * @param spec the sweep file
 * @param runs the runs in expansion order
 * @param hash identity of the sweep: SHA-256 of the sorted run ids' full config hashes; a sweep directory holds
 *             one sweep hash (execution settings such as devices or SLURM limits may change between reruns)
 */
public record SweepPlan(SweepSpec spec, List<SweepRun> runs, String hash) {
    public SweepPlan {
        runs = List.copyOf(runs);
    }

    /** The run with this id. */
    public Optional<SweepRun> run(String id) {
        return runs.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
