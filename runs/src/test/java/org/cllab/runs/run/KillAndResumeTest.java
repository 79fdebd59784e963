package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run in a separate JVM is killed with SIGKILL while it trains task 3; rerunning the same directory resumes after
 * task 2 and ends with the accuracy matrix of an uninterrupted run (issue 2, acceptance 3).
 */
@Tag("slow")
class KillAndResumeTest {
    @TempDir
    Path tmp;

    @Test
    void killedDuringTaskThreeResumesToTheSameMatrix() throws Exception {
        List<String> sets = new ArrayList<>(TinyRuns.TINY);
        sets.set(0, "scenario.train_limit=1200"); // long enough tasks to be killed in the middle of one
        sets.add("learner.hidden=[128]");
        RunConfig cfg = new org.cllab.runs.config.ConfigLoader().load(null, sets);
        JsonNode reference = new RunExecutor().execute(cfg, tmp.resolve("ref"), null).summary();

        Path dir = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.cllab.runs.cli.Cl", "run", "--out", dir.toString()));
        Path empty = tmp.resolve("empty.yaml");
        Files.writeString(empty, "{}\n");
        cmd.add(empty.toString());
        for (String s : sets) {
            cmd.add("--set");
            cmd.add(s);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process child = pb.start();
        Path two = dir.resolve("checkpoints/task-02");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(two) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(two), "child reached task 2: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(dir.resolve("summary.json")), "killed before finishing");
        assertFalse(Files.exists(dir.resolve("checkpoints/task-04")), "killed during task 3");

        JsonNode resumed = new RunExecutor().execute(cfg, dir, null).summary();
        int after = resumed.get("resumed_after_task").asInt();
        assertTrue(after == 2 || after == 3, "resumed after the last finished task, got " + after);
        for (String mode : List.of("class-incremental", "task-incremental")) {
            assertEquals(reference.path("evaluations").path(mode).path("accuracy_matrix"),
                    resumed.path("evaluations").path(mode).path("accuracy_matrix"), mode);
        }
        try (var s = Files.list(dir.resolve("checkpoints"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".partial")), "no partial boundary");
        }
    }
}
