package org.cllab.runs.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cllab.core.eval.ContinualProtocol;
import org.cllab.core.metrics.AccuracyMatrix;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.run.AtomicFiles;
import org.cllab.runs.run.Json;
import org.cllab.runs.run.RunExecutor;
import org.cllab.runs.run.Summary;

/**
 * Writes a sweep directory in which every run of a sweep file is finished, as {@code cl sweep} would have left it,
 * without training anything: for benchmarks and tests of the bookkeeping at scale (resume scan, index, report).
 * Each run directory holds the run's resolved {@code config.yaml}, a {@code provenance.json} marked
 * {@code "synthetic": true}, {@code run.log}, {@code metrics.csv}, {@code task_times.csv},
 * {@code accuracy_matrix_<mode>.csv} and a finished {@code summary.json} built by {@link Summary#build} from a
 * made-up accuracy matrix per evaluation mode (learning to about 0.9, then forgetting; the untrained row at chance),
 * drawn from a generator seeded by the run id and {@code seed}, so the same call writes the same bytes (apart from
 * the provenance time stamp). {@code sweep.yaml} and {@code sweep-index.json} (every run finished) complete the
 * directory; rerunning the sweep on it finds nothing to do.
 */
public final class SyntheticRuns {
    private SyntheticRuns() {
    }

    /**
     * Writes the finished runs of {@code sweepFile} into the sweep directory {@code out}, which must be absent or
     * empty.
     *
     * @return the sweep
     */
    public static SweepPlan generate(Path sweepFile, Path out, long seed) throws IOException {
        SweepPlan plan = SweepRunner.plan(sweepFile);
        if (Files.exists(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new ConfigException("--out", out.toString(), "exists and is not empty");
                }
            }
        }
        SweepLayout layout = new SweepLayout(out);
        Files.createDirectories(layout.runsDir());
        AtomicFiles.write(layout.sweepFile(), SweepRunner.resolvedYaml(plan));
        SweepIndex index = new SweepIndex(layout, plan, "synthetic");
        for (SweepRun r : plan.runs()) {
            writeRun(layout.runDir(r.id()), r.config(), new SplittableRandom(seed ^ Long.parseUnsignedLong(r.id(), 16)));
            index.set(r, RunStatus.FINISHED);
        }
        index.write();
        return plan;
    }

    private static void writeRun(Path dir, RunConfig c, SplittableRandom rnd) throws IOException {
        Files.createDirectories(dir);
        String hash = c.hash();
        int tasks = c.getInt("scenario.tasks");
        List<String> modes = c.getStringList("evaluation.modes");
        Map<String, AccuracyMatrix> matrices = new LinkedHashMap<>();
        for (String mode : modes) {
            matrices.put(mode, AccuracyMatrix.ofRows(matrix(tasks, rnd)));
        }
        List<Double> secs = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            secs.add(1 + rnd.nextDouble() * 4);
        }
        double wall = secs.stream().mapToDouble(Double::doubleValue).sum() + 2;

        Files.writeString(dir.resolve("config.yaml"), c.toYaml());
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("created", java.time.Instant.now().toString());
        p.put("config_hash", hash);
        p.put("config_file", dir.resolve("config.yaml").toAbsolutePath().toString());
        p.put("synthetic", true);
        p.putObject("code").put("git_commit", "synthetic").put("git_dirty", false);
        p.putObject("seeds").put("run", c.getLong("run.seed"));
        p.put("data", "synthetic (no data read)");
        p.putNull("slurm");
        p.putArray("sessions").addObject().put("started", p.get("created").asText()).put("pid", 0)
                .put("host", "synthetic");
        Files.write(dir.resolve("provenance.json"), Json.MAPPER.writeValueAsBytes(p));
        Files.writeString(dir.resolve("run.log"), "synthetic run written by SyntheticRuns (nothing trained)\n");

        StringBuilder metrics = new StringBuilder("series,after_task,eval_task,accuracy\n");
        matrices.forEach((mode, m) -> {
            double[][] a = m.toArray();
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[i].length; j++) {
                    metrics.append(mode).append(',').append(i).append(',').append(j + 1).append(',').append(a[i][j])
                            .append('\n');
                }
            }
        });
        Files.writeString(dir.resolve("metrics.csv"), metrics);
        StringBuilder times = new StringBuilder("task,train_seconds\n");
        for (int i = 0; i < secs.size(); i++) {
            times.append(i + 1).append(',').append(secs.get(i)).append('\n');
        }
        Files.writeString(dir.resolve("task_times.csv"), times);
        for (Map.Entry<String, AccuracyMatrix> e : matrices.entrySet()) {
            Files.writeString(dir.resolve("accuracy_matrix_" + e.getKey() + ".csv"), RunExecutor.matrixCsv(e.getValue()));
        }
        ObjectNode summary = Summary.build(new ContinualProtocol.Result(matrices, secs, 0), wall, hash, Map.of());
        AtomicFiles.write(dir.resolve(Summary.FILE), Json.MAPPER.writeValueAsBytes(summary));
    }

    /** Row 0 at chance; after task k, task k learned to ~0.9, earlier tasks forgotten a little, later at chance. */
    private static double[][] matrix(int tasks, SplittableRandom rnd) {
        double[][] r = new double[tasks + 1][tasks];
        for (int j = 0; j < tasks; j++) {
            r[0][j] = round(0.4 + 0.2 * rnd.nextDouble());
        }
        for (int k = 1; k <= tasks; k++) {
            for (int j = 0; j < tasks; j++) {
                double v;
                if (j == k - 1) {
                    v = 0.85 + 0.14 * rnd.nextDouble();
                } else if (j < k - 1) {
                    v = r[k - 1][j] * (0.7 + 0.3 * rnd.nextDouble());
                } else {
                    v = r[0][j];
                }
                r[k][j] = round(v);
            }
        }
        return r;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
