package org.cllab.runs.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A SLURM job-array batch script that runs one CL-Lab run per array task. Task {@code i} reads line {@code i + 1}
 * of a task list ({@link #taskLine}: the run directory and its config file, tab-separated), appends its standard
 * output and error to {@code RUN_DIR/worker.out} and {@code RUN_DIR/worker.err}, and runs the worker command
 * ({@code java ... org.cllab.runs.cli.Cl run CONFIG --out RUN_DIR}, the command a local worker runs). The run records
 * {@code SLURM_JOB_ID}, {@code SLURM_ARRAY_JOB_ID} and {@code SLURM_ARRAY_TASK_ID} in its provenance by itself
 * (see {@code org.cllab.runs.run.Provenance}). What goes wrong before the worker starts (e.g. a missing task list)
 * lands in the per-task {@code --output}/{@code --error} files under {@link #logDir}.
 *
 * @param jobName       {@code --job-name}
 * @param indices       the array indices to run ({@code --array}); lines of the task list they select
 * @param maxConcurrent the {@code %N} limit of {@code --array} (0 = none)
 * @param cpusPerTask   {@code --cpus-per-task}; also the worker's {@code OMP_NUM_THREADS}
 * @param mem           {@code --mem}, e.g. {@code 4G} ("" = cluster default)
 * @param time          {@code --time}, e.g. {@code 01:00:00} ("" = partition default)
 * @param gpus          {@code --gres=gpu:N} when &gt; 0
 * @param partition     {@code --partition} ("" = cluster default)
 * @param account       {@code --account} ("" = none)
 * @param extraArgs     further {@code #SBATCH} arguments, verbatim (e.g. {@code --qos=short})
 * @param logDir        where {@code %A_%a.out} / {@code %A_%a.err} of each task go (absolute)
 * @param taskList      the task list file (absolute)
 * @param workerPrefix  the worker command up to (without) its config argument: {@code java [opts] -cp CP
 *                      org.cllab.runs.cli.Cl run}
 * @param environment   variables exported before the worker starts (besides {@code OMP_WAIT_POLICY=PASSIVE} and
 *                      {@code OMP_NUM_THREADS})
 * @param runsPerTask   runs per array task: task {@code i} runs lines {@code i*K+1 .. i*K+K} of the task list one
 *                      after the other in one JVM ({@code cl worker}, the same worker prefix with {@code worker} in
 *                      place of its final {@code run}); its {@code --output}/{@code --error} files get what the JVM
 *                      prints outside the runs (each run's own output still goes to its {@code worker.out/err})
 */
public record ArrayJobScript(String jobName, List<Integer> indices, int maxConcurrent, int cpusPerTask, String mem,
                             String time, int gpus, String partition, String account, List<String> extraArgs,
                             Path logDir, Path taskList, List<String> workerPrefix, Map<String, String> environment,
                             int runsPerTask) {
    /**
     * Seconds before the time limit at which SLURM sends SIGTERM to the batch shell, which {@code exec}s the worker:
     * the run stops at its next safe point with its last boundary intact ({@code RunSignals}) before SLURM's own
     * SIGTERM/SIGKILL at the limit. Extra arguments may override it ({@code --signal=...} later in the header).
     */
    public static final int WARNING_SECONDS = 120;

    /** A script with one run per task. */
    public ArrayJobScript(String jobName, List<Integer> indices, int maxConcurrent, int cpusPerTask, String mem,
                          String time, int gpus, String partition, String account, List<String> extraArgs,
                          Path logDir, Path taskList, List<String> workerPrefix, Map<String, String> environment) {
        this(jobName, indices, maxConcurrent, cpusPerTask, mem, time, gpus, partition, account, extraArgs, logDir,
                taskList, workerPrefix, environment, 1);
    }

    private static final Pattern MEM = Pattern.compile("\\d+[KMGT]?");
    private static final Pattern TIME = Pattern.compile(
            "\\d+|\\d+:\\d{1,2}|\\d+:\\d{1,2}:\\d{1,2}|\\d+-\\d+|\\d+-\\d+:\\d{1,2}|\\d+-\\d+:\\d{1,2}:\\d{1,2}"
                    + "|UNLIMITED|INFINITE");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._+-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ArrayJobScript {
        indices = List.copyOf(indices);
        extraArgs = List.copyOf(extraArgs);
        workerPrefix = List.copyOf(workerPrefix);
        environment = Map.copyOf(environment);
        if (!NAME.matcher(jobName).matches()) {
            throw new IllegalArgumentException("job name must match " + NAME + ": '" + jobName + "'");
        }
        if (indices.isEmpty()) {
            throw new IllegalArgumentException("no array indices");
        }
        if (maxConcurrent < 0 || cpusPerTask < 1 || gpus < 0) {
            throw new IllegalArgumentException("need maxConcurrent >= 0, cpusPerTask >= 1, gpus >= 0");
        }
        if (!mem.isEmpty() && !MEM.matcher(mem).matches()) {
            throw new IllegalArgumentException("mem must be a number with an optional K/M/G/T suffix: '" + mem + "'");
        }
        if (!time.isEmpty() && !TIME.matcher(time).matches()) {
            throw new IllegalArgumentException("time must be a SLURM time (MM, HH:MM:SS, D-HH:MM, ...): '" + time
                    + "'");
        }
        for (String a : extraArgs) {
            if (!a.startsWith("-") || a.contains("\n")) {
                throw new IllegalArgumentException("extra sbatch argument must be one option line: '" + a + "'");
            }
        }
        for (String s : new String[] {partition, account}) {
            if (!s.isEmpty() && !NAME.matcher(s).matches()) {
                throw new IllegalArgumentException("partition/account must match " + NAME + ": '" + s + "'");
            }
        }
        for (String k : environment.keySet()) {
            if (!ENV_NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("bad environment variable name '" + k + "'");
            }
        }
        checkPath(logDir);
        checkPath(taskList);
        if (workerPrefix.isEmpty()) {
            throw new IllegalArgumentException("empty worker command");
        }
        if (runsPerTask < 1 || (runsPerTask > 1 && !workerPrefix.get(workerPrefix.size() - 1).equals("run"))) {
            throw new IllegalArgumentException("runsPerTask must be >= 1, and > 1 needs a worker prefix ending in run");
        }
    }

    /** The {@code --array} value: {@code 0-7%2}. */
    public String arraySpec() {
        String s = SlurmOutput.compressIndices(indices);
        return maxConcurrent > 0 ? s + "%" + maxConcurrent : s;
    }

    /** The line of the task list for one run: {@code RUN_DIR<TAB>CONFIG} (absolute paths, no tab or newline). */
    public static String taskLine(Path runDir, Path config) {
        checkPath(runDir.toAbsolutePath());
        checkPath(config.toAbsolutePath());
        return runDir.toAbsolutePath() + "\t" + config.toAbsolutePath();
    }

    /** The whole script. */
    public String render() {
        List<String> sb = new ArrayList<>();
        sb.add("--job-name=" + jobName);
        sb.add("--array=" + arraySpec());
        sb.add("--cpus-per-task=" + cpusPerTask);
        if (!mem.isEmpty()) {
            sb.add("--mem=" + mem);
        }
        if (!time.isEmpty()) {
            sb.add("--time=" + time);
        }
        if (gpus > 0) {
            sb.add("--gres=gpu:" + gpus);
        }
        if (!partition.isEmpty()) {
            sb.add("--partition=" + partition);
        }
        if (!account.isEmpty()) {
            sb.add("--account=" + account);
        }
        sb.add("--output=" + logDir.toAbsolutePath() + "/%A_%a.out");
        sb.add("--error=" + logDir.toAbsolutePath() + "/%A_%a.err");
        sb.add("--signal=B:TERM@" + WARNING_SECONDS);
        sb.addAll(extraArgs);

        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        for (String a : sb) {
            b.append("#SBATCH ").append(a).append('\n');
        }
        b.append(runsPerTask == 1 ? "# Written by CL-Lab: array task i runs line i+1 of the task list (RUN_DIR<TAB>CONFIG).\n"
                : "# Written by CL-Lab: array task i runs lines i*" + runsPerTask + "+1 to i*" + runsPerTask + "+"
                + runsPerTask + " of the task list (RUN_DIR<TAB>CONFIG) in one JVM.\n");
        b.append("set -euo pipefail\n");
        b.append("TASKS=").append(quote(taskList.toAbsolutePath().toString())).append('\n');
        if (runsPerTask > 1) {
            renderPacked(b);
            return b.toString();
        }
        b.append("LINE=\"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \"$TASKS\")\"\n");
        b.append("if [ -z \"$LINE\" ]; then\n");
        b.append("  echo \"cl-slurm: no line $((SLURM_ARRAY_TASK_ID + 1)) in $TASKS\" >&2\n");
        b.append("  exit 2\n");
        b.append("fi\n");
        b.append("RUN_DIR=\"${LINE%%$'\\t'*}\"\n");
        b.append("CONFIG=\"${LINE#*$'\\t'}\"\n");
        exports(b);
        b.append("mkdir -p \"$RUN_DIR\"\n");
        b.append("echo \"cl-slurm: job ${SLURM_JOB_ID} = array task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
                + " on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)\" >>\"$RUN_DIR/worker.err\"\n");
        b.append("exec");
        for (String w : workerPrefix) {
            b.append(' ').append(quote(w));
        }
        b.append(" \"$CONFIG\" --out \"$RUN_DIR\" >>\"$RUN_DIR/worker.out\" 2>>\"$RUN_DIR/worker.err\"\n");
        return b.toString();
    }

    private void exports(StringBuilder b) {
        b.append("export OMP_WAIT_POLICY=PASSIVE\n");
        b.append("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-").append(cpusPerTask).append("}\"\n");
        environment.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                b.append("export ").append(e.getKey()).append('=').append(quote(e.getValue())).append('\n'));
    }

    /** Task i: lines i*K+1 .. i*K+K of the task list, piped into one {@code cl worker}. */
    private void renderPacked(StringBuilder b) {
        b.append("FIRST=$((SLURM_ARRAY_TASK_ID * ").append(runsPerTask).append(" + 1))\n");
        b.append("LAST=$((FIRST + ").append(runsPerTask - 1).append("))\n");
        b.append("LINES=\"$(sed -n \"${FIRST},${LAST}p\" \"$TASKS\")\"\n");
        b.append("if [ -z \"$LINES\" ]; then\n");
        b.append("  echo \"cl-slurm: no lines ${FIRST}-${LAST} in $TASKS\" >&2\n");
        b.append("  exit 2\n");
        b.append("fi\n");
        exports(b);
        b.append("echo \"cl-slurm: job ${SLURM_JOB_ID} = array task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
                + " runs lines ${FIRST}-${LAST} on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)\" >&2\n");
        // a here-string, not a pipe: exec replaces the batch shell itself, so the early SIGTERM of --signal=B:...
        // reaches the worker JVM (in a pipeline it would reach only bash)
        b.append("exec");
        for (int i = 0; i < workerPrefix.size() - 1; i++) {
            b.append(' ').append(quote(workerPrefix.get(i)));
        }
        b.append(" worker <<< \"$LINES\"\n");
    }

    /** POSIX single-quoting. */
    static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=+@%,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void checkPath(Path p) {
        String s = p.toString();
        if (!p.isAbsolute() || s.contains("\n") || s.contains("\t")) {
            throw new IllegalArgumentException("path must be absolute, without tab or newline: '" + s + "'");
        }
    }
}
