package org.cllab.runs.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, type-checked sweep file (see {@link SweepFile} for the YAML format). Immutable. Which runs it stands
 * for is decided by {@link SweepExpander}; the execution settings ({@link #devices}, memory, {@link #slurm}) do
 * not change run identities.
 *
 * @param file              the sweep file
 * @param base              the base run config (resolved against the sweep file's directory); empty = defaults
 * @param set               overrides applied to every run (dotted config key to YAML value), in file order
 * @param learners          learner entries; empty = the base config's learner only
 * @param grid              grid axes (dotted key to its values, at least one each), in file order
 * @param random            random draws; {@link RandomSpec#NONE} when absent
 * @param seeds             values of {@code run.seed}; empty = the base config's seed only
 * @param devices           devices the local executor schedules runs on ({@code [cpu]} by default)
 * @param gpuMemoryBudgetMb memory per GPU that runs on it may use together (0 = one run per GPU)
 * @param runMemoryMb       GPU memory one run needs (0 = one run per GPU)
 * @param slurm             settings of the SLURM executor
 */
public record SweepSpec(Path file, Optional<Path> base, Map<String, Object> set, List<LearnerEntry> learners,
                        Map<String, List<Object>> grid, RandomSpec random, List<Long> seeds, List<Device> devices,
                        int gpuMemoryBudgetMb, int runMemoryMb, SlurmOptions slurm) {
    public SweepSpec {
        set = SweepFile.immutableMap(set);
        learners = List.copyOf(learners);
        grid = SweepFile.immutableMap(grid);
        seeds = List.copyOf(seeds);
        devices = List.copyOf(devices);
    }

    /**
     * One entry of {@code learners:}: a learner type, optionally with overrides that apply to its runs only.
     *
     * @param type {@code learner.type}
     * @param set  overrides for this learner's runs (applied after the sweep-wide {@code set})
     */
    public record LearnerEntry(String type, Map<String, Object> set) {
        public LearnerEntry {
            set = SweepFile.immutableMap(set);
        }
    }

    /**
     * Random search: {@code draws} points, each drawing every parameter independently from its distribution. The
     * value of parameter {@code key} in draw {@code d} comes from {@code Rng(Seeds.derive(seed, "sweep/" + key + "/"
     * + d))}, so it does not depend on the order of the parameters in the file or on the other draws.
     *
     * @param draws  number of draws (0 = no random search)
     * @param seed   root seed of the draws
     * @param params dotted key to distribution
     */
    public record RandomSpec(int draws, long seed, Map<String, Distribution> params) {
        /** No random search. */
        public static final RandomSpec NONE = new RandomSpec(0, 0, Map.of());

        public RandomSpec {
            params = SweepFile.immutableMap(params);
        }
    }

    /**
     * A distribution of one randomly drawn parameter.
     *
     * @param kind    {@code uniform} [lo, hi), {@code log_uniform} (log-uniform in [lo, hi)), {@code int_uniform}
     *                (integers lo..hi inclusive) or {@code choice} (one of the listed values, equally likely)
     * @param values  {lo, hi} for the ranges; the options for {@code choice}
     */
    public record Distribution(String kind, List<Object> values) {
        /** The kinds understood. */
        public static final List<String> KINDS = List.of("uniform", "log_uniform", "int_uniform", "choice");

        public Distribution {
            values = List.copyOf(values);
        }
    }

    /**
     * SLURM settings of a sweep ({@code slurm:} block). Used by the SLURM executor only.
     *
     * @param partition     {@code --partition} ("" = the cluster default)
     * @param account       {@code --account} ("" = none)
     * @param cpusPerTask   {@code --cpus-per-task}
     * @param mem           {@code --mem}, e.g. {@code 8G}
     * @param time          {@code --time}, e.g. {@code 01:00:00}
     * @param maxConcurrent the {@code %N} concurrency limit of {@code --array} (0 = no limit)
     * @param maxRetries    how often a failed array task is resubmitted
     * @param gpus          GPUs per task ({@code --gres=gpu:N} when > 0)
     * @param extraArgs     further {@code #SBATCH} arguments, verbatim
     * @param runsPerTask   runs one array task executes one after the other in one JVM ({@code cl worker})
     * @param maxSubmitJobs array tasks of the sweep queued or running at once; 0 = the cluster's limit (the
     *                      association's {@code MaxSubmitJobs} when the cluster has accounting, else none)
     */
    public record SlurmOptions(String partition, String account, int cpusPerTask, String mem, String time,
                               int maxConcurrent, int maxRetries, int gpus, List<String> extraArgs, int runsPerTask,
                               int maxSubmitJobs) {
        /** Defaults when the sweep has no {@code slurm:} block. */
        public static final SlurmOptions DEFAULTS = new SlurmOptions("", "", 1, "4G", "01:00:00", 0, 1, 0,
                List.of(), 1, 0);

        public SlurmOptions {
            extraArgs = List.copyOf(extraArgs);
            if (runsPerTask < 1 || maxSubmitJobs < 0) {
                throw new IllegalArgumentException("need runsPerTask >= 1, maxSubmitJobs >= 0");
            }
        }

        /** Options with one run per task and the cluster's submit limit. */
        public SlurmOptions(String partition, String account, int cpusPerTask, String mem, String time,
                            int maxConcurrent, int maxRetries, int gpus, List<String> extraArgs) {
            this(partition, account, cpusPerTask, mem, time, maxConcurrent, maxRetries, gpus, extraArgs, 1, 0);
        }
    }
}
