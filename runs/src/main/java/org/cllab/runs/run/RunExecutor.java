package org.cllab.runs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.cllab.core.api.ClassIncrementalPredictor;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.DivergedException;
import org.cllab.core.api.DivergenceGuard;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.eval.BoundaryStore;
import org.cllab.core.eval.ContinualProtocol;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.spi.LearnerTraces;
import org.cllab.core.spi.ParameterCounts;
import org.cllab.core.spi.RunNotes;
import org.cllab.core.metrics.AccuracyMatrix;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.report.ReportPlots;

/**
 * Executes one run into a run directory:
 * <pre>
 * DIR/config.yaml          resolved config (all keys)
 * DIR/provenance.json      code, machine, libraries, seeds, config hash, data, sessions
 * DIR/run.log              log of every session
 * DIR/metrics.csv          series,after_task,eval_task,accuracy (rewritten after every task)
 * DIR/checkpoints/task-NN/ learner state + progress after NN tasks
 * DIR/accuracy_matrix_SERIES.csv
 * DIR/summary.json         written last; "finished": true (or false with "state" diverged / interrupted)
 * DIR/.run.lock            held while a process runs here ({@link RunLock})
 * </pre>
 * All inputs (config, data, joint reference, run directory compatibility) are checked before anything is written.
 * Rerunning a directory resumes after its last checkpoint; a finished directory is reported, not redone.
 */
public final class RunExecutor {
    private static final Logger LOG = LogManager.getLogger(RunExecutor.class);

    /** Outcome of {@link #execute}. */
    public record Outcome(Path dir, JsonNode summary, boolean alreadyFinished) {
        /** How the run ended: {@link Summary#FINISHED}, {@link Summary#DIVERGED} or {@link Summary#INTERRUPTED}. */
        public String state() {
            return summary.path("state").asText(Summary.FINISHED);
        }
    }

    private final boolean progressBar;
    private final ProtocolListener extraListener;

    /**
     * @param progressBar   show a terminal progress bar
     * @param extraListener observer added to the protocol (tests use it to interrupt a run)
     */
    public RunExecutor(boolean progressBar, ProtocolListener extraListener) {
        this.progressBar = progressBar;
        this.extraListener = extraListener;
    }

    public RunExecutor(boolean progressBar) {
        this(progressBar, ProtocolListener.NONE);
    }

    public RunExecutor() {
        this(false);
    }

    /**
     * Runs (or resumes) {@code config} in {@code dir}. A run that diverges or is interrupted (SIGTERM/SIGINT, see
     * {@link RunSignals}) returns normally with the corresponding {@link Outcome#state()}; its {@code summary.json}
     * says {@code "finished": false}.
     *
     * @throws org.cllab.runs.config.ConfigException    bad config, data or {@code --out}, before anything is written
     * @throws RunDirectoryLockedException another process runs in {@code dir}
     * @throws IOException                 a write failed (e.g. no space left); the directory stays consistent
     */
    public Outcome execute(RunConfig config, Path dir, Path configFile) throws IOException {
        long start = System.nanoTime();
        OutputDirectory.preflight(dir);
        String hash = config.hash();
        Experiment experiment = Experiment.build(config);
        Map<String, double[]> joint = jointReference(config, experiment);
        checkRunDirectory(config, dir, hash);
        JsonNode ended = endedFor(dir);
        if (ended != null) {
            return new Outcome(dir, ended, true);
        }
        Files.createDirectories(dir);
        try (RunLock lock = RunLock.acquire(dir)) {
            ended = endedFor(dir); // another process may have ended it between the check and the lock
            if (ended != null) {
                return new Outcome(dir, ended, true);
            }
            RunSignals.begin();
            try {
                return executeLocked(config, dir, configFile, experiment, joint, lock, start);
            } finally {
                RunSignals.end();
            }
        }
    }

    /** The summary of a run in {@code dir} that needs no more work (finished or diverged), else null. */
    private static JsonNode endedFor(Path dir) throws IOException {
        JsonNode finished = Summary.readFinished(dir);
        return finished != null ? finished : Summary.readDiverged(dir);
    }

    private Outcome executeLocked(RunConfig config, Path dir, Path configFile, Experiment experiment,
                                  Map<String, double[]> joint, RunLock lock, long start) throws IOException {
        String hash = config.hash();
        AtomicFiles.write(dir.resolve("config.yaml"), config.toYaml());
        writeProvenance(dir, experiment, hash, configFile);
        try (RunLog ignored = RunLog.attach(dir.resolve("run.log"));
             ProgressReporter progress = new ProgressReporter(progressBar,
                     experiment.scenario().info().numTasks())) {
            if (lock.takenOver() != null) {
                LOG.warn("{}", lock.takenOver());
            }
            LOG.info("run {} (config {}), {} tasks, learner {}, data {}", dir, hash.substring(0, 12),
                    experiment.scenario().info().numTasks(), config.getString("learner.type"),
                    experiment.scenario().dataProvenance());
            config.ignoredKeys().values().forEach(LOG::warn);
            ContinualLearner learner = experiment.newLearner(new DivergenceGuard(new TrainingListener() {
                @Override
                public void onTaskStart(TaskInfo task, long totalSteps) {
                    progress.onTaskStart(task, totalSteps);
                }

                @Override
                public void onStep(TaskInfo task, long step, double loss) {
                    progress.onStep(task, step, loss);
                    RunSignals.check(); // a safe point: the last boundary is on disk, this task is given up
                }

                @Override
                public void onTaskEnd(TaskInfo task) {
                    progress.onTaskEnd(task);
                }
            }));
            if (learner instanceof RunNotes n && !n.startNote().isEmpty()) {
                LOG.info(n.startNote());
            }
            BoundaryStore store = config.getBoolean("run.checkpoints")
                    ? new FileBoundaryStore(dir.resolve("checkpoints"), config.getInt("run.keep_checkpoints"))
                    : FiniteState.checkOnly();
            int[] boundary = {0};
            ProtocolListener listener = new ProtocolListener() {
                @Override
                public void onResume(int tasksDone) {
                    boundary[0] = tasksDone;
                    progress.onResume(tasksDone);
                    extraListener.onResume(tasksDone);
                }

                @Override
                public void onTaskStart(TaskInfo task) {
                    extraListener.onTaskStart(task);
                    RunSignals.check();
                }

                @Override
                public void onBoundary(ProtocolState state) {
                    boundary[0] = state.tasksDone();
                    try {
                        writeMetricsCsv(dir, state);
                        if (experiment.scenario().info().featureDim() == 2
                                && learner instanceof ClassIncrementalPredictor p) {
                            Files.createDirectories(dir.resolve("plots"));
                            AtomicFiles.write(dir.resolve("plots").resolve(String.format(
                                    "decision-regions-task-%d.png", state.tasksDone())),
                                    DecisionRegions.png(p, experiment.scenario(), state.tasksDone(), 400));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    progress.onBoundary(state);
                    extraListener.onBoundary(state);
                }
            };
            ContinualProtocol.Options options = new ContinualProtocol.Options(experiment.evaluationModes(),
                    experiment.trainingMode(), config.getInt("evaluation.batch_size"), experiment.streamSeed());
            ContinualProtocol.Result result;
            try {
                RunSignals.check();
                result = ContinualProtocol.run(experiment.scenario(), learner, options, store, listener);
            } catch (DivergedException e) {
                return ended(dir, Summary.DIVERGED, hash, boundary[0], failureRecord(e, config), start);
            } catch (RunInterruptedException e) {
                ObjectNode why = Json.MAPPER.createObjectNode();
                why.put("signal", "SIG" + e.signal());
                why.put("message", "stopped by SIG" + e.signal() + " after task " + boundary[0]
                        + "; rerun the same command to resume after it");
                return ended(dir, Summary.INTERRUPTED, hash, boundary[0], why, start);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (learner instanceof RunNotes n && !n.endNote().isEmpty()) {
                LOG.info(n.endNote());
            }
            for (Map.Entry<String, AccuracyMatrix> e : result.matrices().entrySet()) {
                AtomicFiles.write(dir.resolve("accuracy_matrix_" + e.getKey() + ".csv"), matrixCsv(e.getValue()));
            }
            double wall = (System.nanoTime() - start) / 1e9;
            ObjectNode summary = Summary.build(result, wall, hash, joint);
            if (learner instanceof LearnerTraces lt) {
                summary.set("traces", Summary.traces(lt.traces()));
                for (LearnerTraces.Trace tr : lt.traces()) {
                    AtomicFiles.write(dir.resolve("trace_" + tr.name() + ".png"), ReportPlots.trace(tr));
                }
            }
            if (learner instanceof ParameterCounts pc) {
                ObjectNode counts = summary.putObject("parameters");
                pc.parameterCounts().forEach(counts::put);
            }
            AtomicFiles.write(dir.resolve(Summary.FILE), Json.MAPPER.writeValueAsBytes(summary));
            LOG.info("finished in {} s; summary in {}", String.format("%.1f", wall), dir.resolve(Summary.FILE));
            return new Outcome(dir, summary, false);
        }
    }

    /** Writes the summary of a run that ended unfinished (diverged, interrupted) and logs why. */
    private static Outcome ended(Path dir, String state, String hash, int tasksDone, ObjectNode why, long start)
            throws IOException {
        ObjectNode summary = Summary.unfinished(state, (System.nanoTime() - start) / 1e9, hash, tasksDone, why);
        AtomicFiles.write(dir.resolve(Summary.FILE), Json.MAPPER.writeValueAsBytes(summary));
        if (state.equals(Summary.DIVERGED)) {
            LOG.error("run {}: {} (last intact boundary: after task {})", state, Summary.failureLine(summary),
                    tasksDone);
        } else {
            LOG.warn("run {}: {}", state, why.path("message").asText());
        }
        return new Outcome(dir, summary, false);
    }

    /** The {@code failure} record of a diverged run: where, what, and a hint naming the learning rate. */
    static ObjectNode failureRecord(DivergedException e, RunConfig config) {
        ObjectNode f = Json.MAPPER.createObjectNode();
        f.put("kind", Summary.DIVERGED);
        f.put("task", e.task());
        if (e.step() >= 0) {
            f.put("step", e.step());
        } else {
            f.putNull("step");
        }
        f.put("what", e.what());
        f.put("found", e.found());
        f.put("message", e.getMessage());
        List<String> settings = new java.util.ArrayList<>();
        config.values().forEach((k, v) -> { // the learner's own learning rates (only its keys are resolved)
            if (v != null && (k.matches("learner\\.([a-z_]+\\.)?lr") || k.equals("learner.optimizer"))) {
                settings.add(k + "=" + v);
            }
        });
        f.put("hint", "the learning rate may be too high" + (settings.isEmpty() ? ""
                : " (" + String.join(", ", settings) + ")") + "; lower it, then rerun in a new --out directory");
        return f;
    }

    /**
     * Whether a run directory's {@code config.yaml} describes this config: the same canonical text, or a file written
     * by an earlier version (which listed every learner's keys) whose values agree on every key this run uses.
     */
    static boolean sameConfig(Path stored, RunConfig config) throws IOException {
        if (Files.readString(stored).equals(config.toYaml())) {
            return true;
        }
        try {
            return new ConfigLoader(config.schema()).loadStored(stored).toYaml().equals(config.toYaml());
        } catch (ConfigException e) {
            return false;
        }
    }

    /** A directory that holds a run of another config, or unrelated files, is refused. */
    private static void checkRunDirectory(RunConfig config, Path dir, String hash) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("--out", dir.toString(), "exists and is not a directory");
        }
        Path cfg = dir.resolve("config.yaml");
        if (Files.exists(cfg)) {
            if (!sameConfig(cfg, config)) {
                throw new ConfigException("--out", dir.toString(), "holds a run of a different config (its "
                        + "config.yaml differs); use another --out directory");
            }
            return;
        }
        try (var s = Files.list(dir)) {
            if (s.anyMatch(p -> !p.getFileName().toString().equals(RunLock.FILE))) {
                throw new ConfigException("--out", dir.toString(), "exists, is not empty and is not a run directory");
            }
        }
    }

    private static Map<String, double[]> jointReference(RunConfig config, Experiment experiment) throws IOException {
        String ref = config.getString("evaluation.joint_reference");
        Map<String, double[]> out = new LinkedHashMap<>();
        if (ref.isEmpty()) {
            return out;
        }
        JsonNode s = Summary.readFinished(Path.of(ref));
        if (s == null) {
            throw new ConfigException(config.source(), "evaluation.joint_reference", ref
                    + " has no finished summary.json");
        }
        for (Mode m : experiment.evaluationModes()) {
            AccuracyMatrix jm = Summary.matrix(s, m.key());
            if (jm == null || jm.numTasks() != experiment.scenario().info().numTasks()) {
                throw new ConfigException(config.source(), "evaluation.joint_reference", ref + " has no "
                        + m.key() + " accuracy matrix with " + experiment.scenario().info().numTasks() + " tasks");
            }
            out.put(m.key(), jm.duringAccuracies());
        }
        return out;
    }

    private static void writeProvenance(Path dir, Experiment e, String hash, Path configFile) throws IOException {
        Path file = dir.resolve("provenance.json");
        ObjectNode now = Provenance.collect(e, hash, configFile);
        ObjectNode p;
        if (Files.exists(file)) {
            p = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        } else {
            p = now.deepCopy();
            p.putArray("sessions");
        }
        ArrayNode sessions = (ArrayNode) p.get("sessions");
        ObjectNode session = sessions.addObject();
        session.put("started", Instant.now().toString());
        session.put("pid", ProcessHandle.current().pid());
        session.put("host", now.path("system").path("host").asText());
        session.put("git_commit", now.path("code").path("git_commit").asText());
        session.set("slurm", now.get("slurm"));
        AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(p));
    }

    static void writeMetricsCsv(Path dir, ProtocolState state) throws IOException {
        StringBuilder b = new StringBuilder("series,after_task,eval_task,accuracy\n");
        state.rows().forEach((series, rows) -> {
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < rows.get(i).length; j++) {
                    b.append(series).append(',').append(i).append(',').append(j + 1).append(',')
                            .append(rows.get(i)[j]).append('\n');
                }
            }
        });
        StringBuilder t = new StringBuilder("task,train_seconds\n");
        List<Double> secs = state.taskSeconds();
        for (int i = 0; i < secs.size(); i++) {
            t.append(i + 1).append(',').append(secs.get(i)).append('\n');
        }
        AtomicFiles.write(dir.resolve("metrics.csv"), b.toString());
        AtomicFiles.write(dir.resolve("task_times.csv"), t.toString());
    }

    /** {@code accuracy_matrix_SERIES.csv}: {@code after_task,task_1,...}, one row per matrix row. */
    public static String matrixCsv(AccuracyMatrix m) {
        StringBuilder b = new StringBuilder("after_task");
        for (int j = 1; j <= m.numTasks(); j++) {
            b.append(",task_").append(j);
        }
        b.append('\n');
        double[][] a = m.toArray();
        for (int i = 0; i < a.length; i++) {
            b.append(i);
            for (double v : a[i]) {
                b.append(',').append(v);
            }
            b.append('\n');
        }
        return b.toString();
    }
}
