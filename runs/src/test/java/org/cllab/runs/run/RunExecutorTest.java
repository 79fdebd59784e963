package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunExecutorTest {
    @TempDir
    Path tmp;

    private static String matrix(JsonNode summary, String mode) {
        return summary.path("evaluations").path(mode).path("accuracy_matrix").toString();
    }

    @Test
    void writesTheRunDirectory() throws IOException {
        Path dir = tmp.resolve("run");
        RunExecutor.Outcome o = new RunExecutor().execute(TinyRuns.config(), dir, null);
        assertFalse(o.alreadyFinished());
        for (String f : List.of("config.yaml", "provenance.json", "run.log", "metrics.csv", "task_times.csv",
                "summary.json", "accuracy_matrix_class-incremental.csv", "accuracy_matrix_task-incremental.csv",
                "checkpoints/task-00/learner.state", "checkpoints/task-05/progress.json")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        JsonNode s = Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
        assertTrue(s.get("finished").asBoolean());
        assertTrue(s.get("wall_seconds").asDouble() > 0);
        JsonNode ci = s.path("evaluations").path("class-incremental");
        assertEquals(6, ci.get("accuracy_matrix").size(), "row 0 + 5 tasks");
        assertEquals(5, ci.get("accuracy_matrix").get(0).size());
        for (String k : List.of("acc", "bwt", "fwt", "forgetting")) {
            double v = ci.get(k).asDouble();
            assertTrue(v >= -1 && v <= 1, k + "=" + v);
        }
        JsonNode prov = Json.MAPPER.readTree(dir.resolve("provenance.json").toFile());
        assertEquals(TinyRuns.config().hash(), prov.get("config_hash").asText());
        assertEquals("1.0.0-M2.1", prov.path("libraries").path("nd4j").asText());
        assertTrue(prov.path("seeds").has("learner"));
        assertTrue(Files.readString(dir.resolve("run.log")).contains("checkpoint after task 5 saved"));
        // metrics.csv: header + 2 series x 6 rows x 5 tasks
        assertEquals(1 + 2 * 6 * 5, Files.readAllLines(dir.resolve("metrics.csv")).size());

        RunExecutor.Outcome again = new RunExecutor().execute(TinyRuns.config(), dir, null);
        assertTrue(again.alreadyFinished(), "a finished run is not redone");
    }

    @Test
    void sameConfigGivesIdenticalMatricesAndSeedChangesThem() throws IOException {
        JsonNode a = new RunExecutor().execute(TinyRuns.config(), tmp.resolve("a"), null).summary();
        JsonNode b = new RunExecutor().execute(TinyRuns.config(), tmp.resolve("b"), null).summary();
        assertEquals(matrix(a, "class-incremental"), matrix(b, "class-incremental"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/checkpoints/task-05/learner.state")),
                Files.readAllBytes(tmp.resolve("b/checkpoints/task-05/learner.state")));
        JsonNode c = new RunExecutor().execute(TinyRuns.config("run.seed=1"), tmp.resolve("c"), null).summary();
        assertFalse(matrix(a, "task-incremental").equals(matrix(c, "task-incremental")));
    }

    @Test
    void interruptedRunResumesAfterLastTaskAndMatchesUninterrupted() throws IOException {
        RunConfig cfg = TinyRuns.config();
        JsonNode reference = new RunExecutor().execute(cfg, tmp.resolve("ref"), null).summary();

        Path dir = tmp.resolve("killed");
        assertThrows(IllegalStateException.class, () -> new RunExecutor(false, TinyRuns.crashAfter(2)).execute(cfg, dir, null));
        assertFalse(Files.exists(dir.resolve("summary.json")));
        assertTrue(Files.exists(dir.resolve("checkpoints/task-02")));
        assertFalse(Files.exists(dir.resolve("checkpoints/task-03")));

        int[] resumedAt = {-1};
        RunExecutor.Outcome o = new RunExecutor(false, new ProtocolListener() {
            @Override
            public void onResume(int tasksDone) {
                resumedAt[0] = tasksDone;
            }
        }).execute(cfg, dir, null);
        assertEquals(2, resumedAt[0]);
        assertEquals(2, o.summary().get("resumed_after_task").asInt());
        assertEquals(matrix(reference, "class-incremental"), matrix(o.summary(), "class-incremental"));
        assertEquals(matrix(reference, "task-incremental"), matrix(o.summary(), "task-incremental"));
        JsonNode prov = Json.MAPPER.readTree(dir.resolve("provenance.json").toFile());
        assertEquals(2, prov.get("sessions").size());
    }

    @Test
    void refusesADirectoryOfAnotherConfig() throws IOException {
        Path dir = tmp.resolve("r");
        new RunExecutor().execute(TinyRuns.config(), dir, null);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new RunExecutor().execute(TinyRuns.config("learner.lr=0.01"), dir, null));
        assertTrue(e.getMessage().contains("holds a run of a different config"), e.getMessage());
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "x");
        assertThrows(ConfigException.class, () -> new RunExecutor().execute(TinyRuns.config(), other, null));
    }

    @Test
    void badDataLeavesNothingBehind() throws IOException {
        Path dir = tmp.resolve("never");
        Path data = Files.createDirectories(tmp.resolve("empty-data"));
        ConfigException e = assertThrows(ConfigException.class, () -> new RunExecutor().execute(
                TinyRuns.config("scenario.dataset=fashion-mnist", "scenario.data_dir=" + data), dir, null));
        assertTrue(e.getMessage().contains("scenario.data_dir: " + data.resolve("train-images-idx3-ubyte.gz")),
                e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void intransigenceAgainstJointReference() throws IOException {
        Path joint = tmp.resolve("joint");
        new RunExecutor().execute(TinyRuns.config("learner.type=joint"), joint, null);
        JsonNode s = new RunExecutor().execute(TinyRuns.config("evaluation.joint_reference=" + joint),
                tmp.resolve("ft"), null).summary();
        assertTrue(s.path("evaluations").path("class-incremental").has("intransigence"));
        assertThrows(ConfigException.class, () -> new RunExecutor().execute(
                TinyRuns.config("evaluation.joint_reference=" + tmp.resolve("nothing")), tmp.resolve("x"), null));
    }
}
