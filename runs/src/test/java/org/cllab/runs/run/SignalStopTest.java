package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real signals to {@code cl run} in a child JVM: SIGINT (Ctrl-C) while task 3 trains, then SIGTERM (SLURM time limit,
 * preemption) to the resumed run while task 5 trains. Each ends at the next optimiser step with exit 130 / 143, one
 * line on stderr and {@code "state": "interrupted"}; the third session finishes with the uninterrupted run's
 * matrices.
 */
@Tag("slow")
class SignalStopTest {
    @TempDir
    Path tmp;

    private List<String> sets() {
        List<String> sets = new ArrayList<>(TinyRuns.TINY);
        sets.set(0, "scenario.train_limit=1200"); // tasks long enough to be signalled in the middle of one
        sets.add("learner.hidden=[128]");
        // 8 epochs: on a quiet machine a 2-epoch task of 1,200 samples ends within the 300 ms the test waits before
        // signalling, and the last task then finishes the run before the signal arrives (exit 0, seen once)
        sets.add("learner.epochs=8");
        return sets;
    }

    private Process start(Path dir) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.cllab.runs.cli.Cl", "run", "--out", dir.toString()));
        Path empty = tmp.resolve("empty.yaml");
        Files.writeString(empty, "{}\n");
        cmd.add(empty.toString());
        for (String s : sets()) {
            cmd.add("--set");
            cmd.add(s);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    private static void await(Path file, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!Files.exists(file) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(file), "child reached " + file);
    }

    /** Sends {@code signal} to {@code p} once {@code boundary} exists; returns its stderr and exit code. */
    private static String signalAt(Process p, Path boundary, String signal, int expectedExit) throws Exception {
        await(boundary, p);
        Thread.sleep(300); // into the next task's training
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "stopped");
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(expectedExit, p.exitValue(), err);
        return err;
    }

    @Test
    void sigintThenSigtermStopAtASafePointAndTheRunResumesToTheSameResult() throws Exception {
        RunConfig cfg = new ConfigLoader().load(null, sets());
        JsonNode reference = new RunExecutor().execute(cfg, tmp.resolve("ref"), null).summary();
        Path dir = tmp.resolve("run");

        String err = signalAt(start(dir), dir.resolve("checkpoints/task-02"), "INT", 130);
        assertTrue(err.contains("cl: SIGINT received: stopping at the next safe point (send SIGINT again to stop "
                + "at once)\n"), err);
        JsonNode s = Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
        assertEquals("interrupted", s.get("state").asText());
        int done = s.get("tasks_completed").asInt();
        assertTrue(err.contains("cl: stopped by SIGINT after task " + done + "; rerun the same command to resume "
                + "after it (" + dir + ")"), err);
        assertTrue(done == 2 || done == 3, "stopped during task 3 (or at its end): " + done);
        assertFalse(Files.exists(dir.resolve("checkpoints/task-" + String.format("%02d", done + 1))));

        err = signalAt(start(dir), dir.resolve("checkpoints/task-04"), "TERM", 143);
        assertTrue(err.contains("cl: SIGTERM received"), err);
        s = Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
        assertEquals("interrupted", s.get("state").asText());
        assertEquals("SIGTERM", s.path("interruption").path("signal").asText());

        JsonNode resumed = new RunExecutor().execute(cfg, dir, null).summary();
        assertTrue(resumed.get("finished").asBoolean());
        for (String mode : List.of("class-incremental", "task-incremental")) {
            assertEquals(reference.path("evaluations").path(mode).path("accuracy_matrix"),
                    resumed.path("evaluations").path(mode).path("accuracy_matrix"), mode);
        }
        JsonNode prov = Json.MAPPER.readTree(dir.resolve("provenance.json").toFile());
        assertEquals(3, prov.get("sessions").size());
    }
}
