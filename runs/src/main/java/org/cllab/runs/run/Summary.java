package org.cllab.runs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cllab.core.eval.ContinualProtocol;
import org.cllab.core.eval.FewShotProbe;
import org.cllab.core.metrics.AccuracyMatrix;
import org.cllab.core.metrics.ClMetrics;
import org.cllab.core.spi.LearnerTraces;

/**
 * {@code summary.json}: written last. {@code "state"} says how the run ended: {@code finished} ({@code "finished":
 * true}, the results), {@code diverged} (a non-finite loss or parameter; a {@code failure} record says where and why;
 * rerunning gives the same, so it is not redone) or {@code interrupted} (SIGTERM/SIGINT; rerunning resumes after the
 * last boundary). Only a finished summary counts as a result.
 */
public final class Summary {
    public static final String FILE = "summary.json";
    /** {@code state} of a finished run. */
    public static final String FINISHED = "finished";
    /** {@code state} of a run stopped by a non-finite loss or parameter. */
    public static final String DIVERGED = "diverged";
    /** {@code state} of a run stopped by SIGTERM or SIGINT. */
    public static final String INTERRUPTED = "interrupted";
    /** Key of the few-shot probe block (scenarios with a probe, learners that adapt). */
    public static final String PROBE = "few_shot_probe";

    private Summary() {
    }

    /**
     * @param jointDiagonals per mode, the joint reference diagonal (may be empty)
     */
    public static ObjectNode build(ContinualProtocol.Result result, double wallSeconds, String configHash,
                                   Map<String, double[]> jointDiagonals) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("finished", true);
        n.put("state", FINISHED);
        n.put("wall_seconds", wallSeconds);
        n.put("train_seconds", result.taskSeconds().stream().mapToDouble(Double::doubleValue).sum());
        n.put("resumed_after_task", result.resumedAfter());
        n.put("config_hash", configHash);
        ObjectNode evals = n.putObject("evaluations");
        result.matrices().forEach((series, m) -> {
            ObjectNode e = evals.putObject(series);
            e.set("accuracy_matrix", matrixJson(m));
            e.put("acc", ClMetrics.acc(m));
            putMaybe(e, "bwt", ClMetrics.bwt(m));
            putMaybe(e, "fwt", ClMetrics.fwt(m));
            putMaybe(e, "forgetting", ClMetrics.forgetting(m));
            e.put("learning_accuracy", ClMetrics.learningAccuracy(m));
            ArrayNode during = e.putArray("during");
            for (double v : m.duringAccuracies()) {
                during.add(v);
            }
            ArrayNode fin = e.putArray("final");
            for (double v : m.finalAccuracies()) {
                fin.add(v);
            }
            double[] joint = jointDiagonals.get(series);
            if (joint != null) {
                e.put("intransigence", ClMetrics.intransigence(m, joint));
            }
        });
        if (!result.probe().isEmpty()) {
            putProbe(n.putObject(PROBE), result.probe());
        }
        ArrayNode secs = n.putArray("task_seconds");
        result.taskSeconds().forEach(secs::add);
        return n;
    }

    /** A learner's traces as {@code {name: {"x": ..., "y": ..., "columns": [...], "rows": [[...]]}}}. */
    public static ObjectNode traces(List<LearnerTraces.Trace> traces) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        for (LearnerTraces.Trace t : traces) {
            ObjectNode o = n.putObject(t.name());
            o.put("x", t.xLabel());
            o.put("y", t.yLabel());
            ArrayNode cols = o.putArray("columns");
            t.columns().forEach(cols::add);
            ArrayNode rows = o.putArray("rows");
            for (double[] r : t.rows()) {
                ArrayNode a = rows.addArray();
                for (double v : r) {
                    a.add(v);
                }
            }
        }
        return n;
    }

    /**
     * The few-shot probe block: {@code episodes} (E), {@code curve} (mean query accuracy over the episodes before
     * training and after each task), {@code last} (after the last task), {@code spearman} (rank correlation between
     * task index 1..T and the curve after each task; null when T < 2 or the curve is constant) and {@code
     * per_episode} (the raw rows).
     */
    static void putProbe(ObjectNode p, java.util.List<double[]> rows) {
        double[] curve = FewShotProbe.curve(rows);
        p.put("episodes", rows.get(0).length);
        ArrayNode c = p.putArray("curve");
        for (double v : curve) {
            c.add(v);
        }
        p.put("last", curve[curve.length - 1]);
        double[] idx = new double[curve.length - 1];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i + 1;
        }
        putMaybe(p, "spearman", idx.length < 2 ? Double.NaN
                : FewShotProbe.spearman(idx, java.util.Arrays.copyOfRange(curve, 1, curve.length)));
        ArrayNode raw = p.putArray("per_episode");
        for (double[] row : rows) {
            ArrayNode r = raw.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
    }

    private static void putMaybe(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    static ArrayNode matrixJson(AccuracyMatrix m) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (double[] row : m.toArray()) {
            ArrayNode r = a.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
        return a;
    }

    /**
     * The summary of a run that ended without finishing.
     *
     * @param state          {@link #DIVERGED} or {@link #INTERRUPTED}
     * @param tasksCompleted tasks whose boundary is saved (the run resumes after the last)
     * @param failure        the failure record (diverged) or the signal record (interrupted)
     */
    public static ObjectNode unfinished(String state, double wallSeconds, String configHash, int tasksCompleted,
                                        ObjectNode failure) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("finished", false);
        n.put("state", state);
        n.put("wall_seconds", wallSeconds);
        n.put("config_hash", configHash);
        n.put("tasks_completed", tasksCompleted);
        n.set(state.equals(DIVERGED) ? "failure" : "interruption", failure);
        return n;
    }

    /** Reads {@code dir/summary.json} if present and its run diverged (ended for good without finishing). */
    public static JsonNode readDiverged(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return null;
        }
        JsonNode n = Json.MAPPER.readTree(f.toFile());
        return DIVERGED.equals(n.path("state").asText()) ? n : null;
    }

    /** One line describing a diverged run's failure record (for messages, the sweep index and reports). */
    public static String failureLine(JsonNode summary) {
        JsonNode f = summary.path("failure");
        return f.path("message").asText() + "; " + f.path("hint").asText();
    }

    /** Reads {@code dir/summary.json} if present and finished. */
    public static JsonNode readFinished(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return null;
        }
        JsonNode n = Json.MAPPER.readTree(f.toFile());
        return n.path("finished").asBoolean(false) ? n : null;
    }

    /** The accuracy matrix of {@code series} in a summary. */
    public static AccuracyMatrix matrix(JsonNode summary, String series) {
        JsonNode a = summary.path("evaluations").path(series).path("accuracy_matrix");
        if (!a.isArray()) {
            return null;
        }
        double[][] rows = new double[a.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[a.get(i).size()];
            for (int j = 0; j < rows[i].length; j++) {
                rows[i][j] = a.get(i).get(j).asDouble();
            }
        }
        return AccuracyMatrix.ofRows(rows);
    }
}
