package org.cllab.runs.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cllab.runs.run.Json;

/** Fabricated finished run directories (config.yaml + summary.json) for report tests: no training. */
final class FakeRuns {
    private FakeRuns() {
    }

    /** Split-MNIST with 3 tasks of 2 classes: the scenario label of {@link #write}. */
    static final String SCENARIO = "split-mnist 3x2";

    /**
     * Writes a finished run with one class-incremental evaluation.
     *
     * @param matrix 4 x 3 accuracy matrix including the untrained row 0
     * @param bwt    null writes JSON null (as for a one-task stream)
     */
    static Path write(Path dir, String learner, long seed, double[][] matrix, double acc, Double bwt,
                      double forgetting, double wallSeconds) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yaml"), "run:\n  seed: " + seed + "\nscenario:\n  tasks: 3\n"
                + "learner:\n  type: " + learner + "\n");
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("finished", true);
        n.put("wall_seconds", wallSeconds);
        n.put("train_seconds", wallSeconds / 2);
        n.put("config_hash", "hash-" + learner + "-" + seed);
        ObjectNode evals = n.putObject("evaluations");
        ObjectNode e = evals.putObject("class-incremental");
        e.set("accuracy_matrix", matrixJson(matrix));
        e.put("acc", acc);
        if (bwt == null) {
            e.putNull("bwt");
        } else {
            e.put("bwt", bwt);
        }
        e.put("forgetting", forgetting);
        ObjectNode ti = evals.putObject("task-identification");
        ti.set("accuracy_matrix", matrixJson(matrix));
        ti.put("acc", 0.123);
        Files.writeString(dir.resolve("summary.json"), Json.MAPPER.writeValueAsString(n));
        return dir;
    }

    private static ArrayNode matrixJson(double[][] m) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (double[] row : m) {
            ArrayNode r = a.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
        return a;
    }

    /** Three finetune runs (seeds 0, 1, 2) and one joint run, with the numbers the tests check by hand. */
    static void threeFinetuneOneJoint(Path root, double wallOffset) throws IOException {
        write(root.resolve("ft/s0"), "finetune", 0, new double[][] {{0.1, 0.1, 0.1}, {0.9, 0, 0}, {0.3, 0.8, 0},
            {0.2, 0.4, 0.9}}, 0.5, -0.1, 0.1, 10 + wallOffset);
        write(root.resolve("ft/s1"), "finetune", 1, new double[][] {{0.1, 0.1, 0.1}, {0.7, 0, 0}, {0.5, 0.6, 0},
            {0.4, 0.2, 0.6}}, 0.4, -0.2, 0.1, 12 + wallOffset);
        write(root.resolve("ft/s2"), "finetune", 2, new double[][] {{0.1, 0.1, 0.1}, {0.8, 0, 0}, {0.1, 0.9, 0},
            {0.3, 0.3, 0.9}}, 0.5, -0.3, 0.4, 14 + wallOffset);
        write(root.resolve("joint/s0"), "joint", 0, new double[][] {{0.1, 0.1, 0.1}, {0.95, 0, 0}, {0.9, 0.9, 0},
            {0.9, 0.9, 0.9}}, 0.9, 0.0, 0.03, 20 + wallOffset);
    }
}
