package org.cllab.runs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cllab.core.eval.ContinualProtocol;
import org.cllab.core.metrics.AccuracyMatrix;
import org.cllab.core.metrics.ClMetrics;

/** {@code summary.json}: written last, marks a run finished. */
public final class Summary {
    public static final String FILE = "summary.json";

    private Summary() {
    }

    /**
     * @param jointDiagonals per mode, the joint reference diagonal (may be empty)
     */
    public static ObjectNode build(ContinualProtocol.Result result, double wallSeconds, String configHash,
                                   Map<String, double[]> jointDiagonals) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("finished", true);
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
        ArrayNode secs = n.putArray("task_seconds");
        result.taskSeconds().forEach(secs::add);
        return n;
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
