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
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.eval.BoundaryStore;
import org.cllab.core.eval.ContinualProtocol;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.learners.dkvb.DkvbLearner;
import org.cllab.core.metrics.AccuracyMatrix;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.RunConfig;
import org.cllab.scenarios.GaussianToyScenario;

/**
 * Executes one run into a run directory:
 * <pre>
 * DIR/config.yaml          resolved config (all keys)
 * DIR/provenance.json      code, machine, libraries, seeds, config hash, data, sessions
 * DIR/run.log              log of every session
 * DIR/metrics.csv          series,after_task,eval_task,accuracy (rewritten after every task)
 * DIR/checkpoints/task-NN/ learner state + progress after NN tasks
 * DIR/accuracy_matrix_SERIES.csv
 * DIR/summary.json         written last; "finished": true
 * </pre>
 * All inputs (config, data, joint reference, run directory compatibility) are checked before anything is written.
 * Rerunning a directory resumes after its last checkpoint; a finished directory is reported, not redone.
 */
public final class RunExecutor {
    private static final Logger LOG = LogManager.getLogger(RunExecutor.class);

    /** Outcome of {@link #execute}. */
    public record Outcome(Path dir, JsonNode summary, boolean alreadyFinished) {
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

    public Outcome execute(RunConfig config, Path dir, Path configFile) throws IOException {
        long start = System.nanoTime();
        String hash = config.hash();
        Experiment experiment = Experiment.build(config);
        Map<String, double[]> joint = jointReference(config, experiment);
        checkRunDirectory(config, dir, hash);
        JsonNode finished = Summary.readFinished(dir);
        if (finished != null) {
            return new Outcome(dir, finished, true);
        }

        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve("config.yaml"), config.toYaml());
        writeProvenance(dir, experiment, hash, configFile);
        try (RunLog ignored = RunLog.attach(dir.resolve("run.log"));
             ProgressReporter progress = new ProgressReporter(progressBar,
                     experiment.scenario().info().numTasks())) {
            LOG.info("run {} (config {}), {} tasks, learner {}, data {}", dir, hash.substring(0, 12),
                    experiment.scenario().info().numTasks(), config.getString("learner.type"),
                    experiment.scenario().dataProvenance());
            ContinualLearner learner = experiment.newLearner(progress);
            if (learner instanceof DkvbLearner) {
                LOG.info("dkvb: {}", ((DkvbLearner) learner).sizeReport());
            }
            BoundaryStore store = config.getBoolean("run.checkpoints")
                    ? new FileBoundaryStore(dir.resolve("checkpoints"), config.getInt("run.keep_checkpoints"))
                    : BoundaryStore.NONE;
            ProtocolListener listener = new ProtocolListener() {
                @Override
                public void onResume(int tasksDone) {
                    progress.onResume(tasksDone);
                    extraListener.onResume(tasksDone);
                }

                @Override
                public void onTaskStart(TaskInfo task) {
                    extraListener.onTaskStart(task);
                }

                @Override
                public void onBoundary(ProtocolState state) {
                    try {
                        writeMetricsCsv(dir, state);
                        if (experiment.scenario() instanceof GaussianToyScenario toy
                                && learner instanceof ClassIncrementalPredictor p) {
                            Files.createDirectories(dir.resolve("plots"));
                            AtomicFiles.write(dir.resolve("plots").resolve(String.format(
                                    "decision-regions-task-%d.png", state.tasksDone())),
                                    DecisionRegions.png(p, toy, state.tasksDone(), 400));
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
            ContinualProtocol.Result result = ContinualProtocol.run(experiment.scenario(), learner, options, store,
                    listener);
            if (learner instanceof DkvbLearner d) {
                LOG.info("dkvb: {}", d.initReport());
            }
            for (Map.Entry<String, AccuracyMatrix> e : result.matrices().entrySet()) {
                AtomicFiles.write(dir.resolve("accuracy_matrix_" + e.getKey() + ".csv"), matrixCsv(e.getValue()));
            }
            double wall = (System.nanoTime() - start) / 1e9;
            ObjectNode summary = Summary.build(result, wall, hash, joint);
            AtomicFiles.write(dir.resolve(Summary.FILE), Json.MAPPER.writeValueAsBytes(summary));
            LOG.info("finished in {} s; summary in {}", String.format("%.1f", wall), dir.resolve(Summary.FILE));
            return new Outcome(dir, summary, false);
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
            String existing = Files.readString(cfg);
            if (!existing.equals(config.toYaml())) {
                throw new ConfigException("--out", dir.toString(), "holds a run of a different config (its "
                        + "config.yaml differs); use another --out directory");
            }
            return;
        }
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
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
