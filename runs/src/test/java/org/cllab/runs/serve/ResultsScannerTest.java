package org.cllab.runs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cllab.runs.run.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** States, progress, reasons and matrices as the page gets them, on run directories written by hand. */
class ResultsScannerTest {
    @TempDir
    Path tmp;

    static final String LOG = """
            2026-12-01T06:20:37,000 INFO  [main] RunExecutor - run /x/r (config 13ebc1dd03fc), 5 tasks, learner ewc
            2026-12-01T06:20:39,000 INFO  [main] ProgressReporter - task 1/5 (classes 0,1): 10 steps
            2026-12-01T06:20:40,000 INFO  [main] progress - task 1 step 10/10 (100%) mean loss 0.0100
            2026-12-01T06:20:41,000 INFO  [main] ProgressReporter - after task 1: class-incremental accuracies 1.0 0.0
            2026-12-01T06:20:41,000 INFO  [main] ProgressReporter - checkpoint after task 1 saved
            2026-12-01T06:20:42,000 INFO  [main] ProgressReporter - task 2/5 (classes 2,3): 20 steps
            2026-12-01T06:20:47,000 INFO  [main] progress - task 2 step 5/20 (25%) mean loss 0.5000
            """;

    @Test
    void progressAndEtaFromTheLog() {
        RunFiles.Progress p = RunFiles.progress(LOG.lines().toList());
        assertEquals((1 + 5 / 20.0) / 5, p.fraction(), 1e-12);
        assertEquals(2, p.task());
        assertEquals(5, p.tasks());
        assertEquals(5, p.step());
        assertEquals(20, p.steps());
        // 0.25 of the run in the 10 s from the session start to the last line: 0.75 more takes 30 s.
        assertEquals(30.0, p.etaSeconds(), 1e-9);
        RunFiles.Progress resumed = RunFiles.progress(List.of(
                "2026-12-01T07:00:00,000 INFO  [main] RunExecutor - run /x/r (config 13ebc1dd03fc), 4 tasks, x",
                "2026-12-01T07:00:00,500 INFO  [main] ProgressReporter - resuming after task 2 of 4 (checkpoint found)",
                "2026-12-01T07:00:01,000 INFO  [main] ProgressReporter - task 3/4 (classes 4,5): 10 steps",
                "2026-12-01T07:00:04,000 INFO  [main] progress - task 3 step 5/10 (50%) mean loss 0.5000"));
        assertEquals(2.5 / 4, resumed.fraction(), 1e-12);
        assertEquals(4 * 0.375 / 0.125, resumed.etaSeconds(), 1e-9, "the rate of this session only");
        assertEquals(0, RunFiles.progress(List.of()).fraction());
        assertEquals(-1, RunFiles.progress(List.of()).etaSeconds());
    }

    @Test
    void statesOfRunsInAndOutsideASweep() throws Exception {
        Path root = tmp.resolve("results");
        // Outside a sweep: running (this JVM is its process), interrupted (its process has ended), finished.
        Path running = run(root.resolve("alone/running"), ProcessHandle.current().pid());
        Files.writeString(running.resolve("run.log"), LOG);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path interrupted = run(root.resolve("alone/interrupted"), gone.pid());
        Files.writeString(interrupted.resolve("run.log"), LOG);
        Path finished = run(root.resolve("alone/finished"), gone.pid());
        finish(finished);
        // A sweep: one failed (its worker's error in worker.err), one pending, one queued.
        Path sweep = root.resolve("sweep");
        Path failed = run(sweep.resolve("runs/aaa"), gone.pid());
        Files.writeString(failed.resolve("worker.err"), "12:00:00 INFO  run starts\n"
                + "/some/config.yaml: scenario.data_dir: /nope: directory not found\n");
        Path pending = run(sweep.resolve("runs/bbb"), -1);
        Files.delete(pending.resolve("provenance.json"));
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.put("sweep_hash", "abcdef0123");
        index.put("executor", "local");
        index.put("runs_total", 3);
        ObjectNode runs = index.putObject("runs");
        entry(runs, "aaa", "failed", "ewc", 0).putObject("info").put("exit_code", "2");
        entry(runs, "bbb", "pending", "ewc", 1).putObject("info");
        entry(runs, "ccc", "queued", "finetune", 0).putObject("info");
        Files.writeString(sweep.resolve("sweep-index.json"), Json.MAPPER.writeValueAsString(index));

        ResultsScanner scanner = new ResultsScanner(new SafePaths(root));
        JsonNode o = scanner.overview();
        Map<String, JsonNode> byDir = new HashMap<>();
        o.path("runs").forEach(r -> byDir.put(r.path("dir").asText(), r));
        assertEquals(List.of("alone/finished", "alone/interrupted", "alone/running", "sweep/runs/aaa",
                "sweep/runs/bbb", "sweep/runs/ccc"), byDir.keySet().stream().sorted().toList());
        assertEquals("running", byDir.get("alone/running").path("state").asText());
        assertEquals(0.25, byDir.get("alone/running").path("progress").asDouble(), 1e-12);
        assertEquals(30, byDir.get("alone/running").path("eta_seconds").asLong());
        assertEquals("interrupted", byDir.get("alone/interrupted").path("state").asText());
        assertEquals("finished", byDir.get("alone/finished").path("state").asText());
        assertEquals(0.5, byDir.get("alone/finished").path("acc").path("class-incremental").asDouble());
        assertEquals("failed", byDir.get("sweep/runs/aaa").path("state").asText());
        assertEquals("/some/config.yaml: scenario.data_dir: /nope: directory not found",
                byDir.get("sweep/runs/aaa").path("reason").asText());
        assertEquals("pending", byDir.get("sweep/runs/bbb").path("state").asText());
        assertEquals("queued", byDir.get("sweep/runs/ccc").path("state").asText());
        assertEquals(1, o.path("counts").path("running").asInt());
        assertEquals(1, o.path("counts").path("failed").asInt());
        assertEquals("sweep", o.path("sweeps").get(0).path("dir").asText());
        assertEquals("runs outside sweeps", o.path("standalone").path("title").asText());
        JsonNode groups = o.path("standalone").path("comparison").path("groups");
        assertEquals(1, groups.size(), o.toString());
        assertEquals("finetune", groups.get(0).path("rows").get(0).path("learner").asText());
        assertEquals(0.5, groups.get(0).path("rows").get(0).path("acc").get(0).asDouble(), 1e-12);

        JsonNode detail = scanner.run(finished.toRealPath()).orElseThrow();
        JsonNode m = detail.path("matrices").get(0);
        assertEquals("class-incremental", m.path("mode").asText());
        assertEquals("[[0,0.1,0.1],[1,0.9,0.0],[2,0.3,0.7]]", m.path("rows").toString().replace(" ", ""));
        assertEquals(0.9, m.path("acc_after").get(0).asDouble(), 1e-12);
        assertEquals(0.5, m.path("acc_after").get(1).asDouble(), 1e-12);
        assertEquals(0.5, m.path("metrics").path("acc").asDouble());
        JsonNode partial = scanner.run(running.toRealPath()).orElseThrow();
        assertEquals("metrics.csv", partial.path("matrices").get(0).path("source").asText(),
                "a running run's matrix so far comes from metrics.csv");
        assertEquals("[[0,0.1,0.1],[1,0.9,0.0]]", partial.path("matrices").get(0).path("rows").toString()
                .replace(" ", ""));
        assertTrue(partial.path("log").asText().contains("task 2 step 5/20"));
        assertFalse(scanner.run(root.resolve("sweep").toRealPath()).isPresent(), "not a run directory");
    }

    private static ObjectNode entry(ObjectNode runs, String id, String status, String learner, int seed) {
        ObjectNode e = runs.putObject(id);
        e.put("dir", "runs/" + id);
        e.put("learner", learner);
        e.put("seed", seed);
        e.putObject("overrides").put("learner.lr", 0.01);
        e.put("status", status);
        return e;
    }

    /** A started run: config, provenance with one session of {@code pid} on this host, metrics after task 1. */
    private static Path run(Path dir, long pid) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yaml"), "run:\n  seed: 0\nscenario:\n  type: split\n  dataset: mnist\n"
                + "  tasks: 2\n  classes_per_task: 2\nlearner:\n  type: finetune\n");
        Files.writeString(dir.resolve("provenance.json"), "{\"sessions\": [{\"pid\": " + pid + ", \"host\": \""
                + InetAddress.getLocalHost().getHostName() + "\"}]}");
        Files.writeString(dir.resolve("metrics.csv"), "series,after_task,eval_task,accuracy\n"
                + "class-incremental,0,1,0.1\nclass-incremental,0,2,0.1\n"
                + "class-incremental,1,1,0.9\nclass-incremental,1,2,0.0\n");
        return dir;
    }

    private static void finish(Path dir) throws IOException {
        Files.writeString(dir.resolve("accuracy_matrix_class-incremental.csv"),
                "after_task,task_1,task_2\n0,0.1,0.1\n1,0.9,0.0\n2,0.3,0.7\n");
        Files.writeString(dir.resolve("summary.json"), "{\"finished\": true, \"wall_seconds\": 3.0, "
                + "\"evaluations\": {\"class-incremental\": {\"accuracy_matrix\": [[0.1,0.1],[0.9,0.0],[0.3,0.7]], "
                + "\"acc\": 0.5, \"bwt\": -0.6, \"forgetting\": 0.6}}}");
    }
}
