package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop request (what SIGTERM/SIGINT do, {@link RunSignals}) ends the run at the next safe point with its last
 * boundary intact and {@code "state": "interrupted"}; rerunning resumes to the uninterrupted run's matrices. The real
 * signals, in a child JVM, are in {@link SignalStopTest} (slow tier).
 */
class InterruptionTest {
    @TempDir
    Path tmp;

    @Test
    void aStopRequestEndsTheRunAtTheNextSafePointAndItResumes() throws IOException {
        RunConfig cfg = TinyRuns.config();
        JsonNode reference = new RunExecutor().execute(cfg, tmp.resolve("ref"), null).summary();
        Path dir = tmp.resolve("run");
        RunExecutor.Outcome stopped = new RunExecutor(false, new ProtocolListener() {
            @Override
            public void onTaskStart(TaskInfo task) {
                if (task.index() == 2) {
                    RunSignals.request("TERM");
                }
            }
        }).execute(cfg, dir, null);
        assertEquals(Summary.INTERRUPTED, stopped.state());
        JsonNode s = Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
        assertFalse(s.get("finished").asBoolean());
        assertEquals("interrupted", s.get("state").asText());
        assertEquals(2, s.get("tasks_completed").asInt());
        assertEquals("SIGTERM", s.path("interruption").path("signal").asText());
        assertEquals("stopped by SIGTERM after task 2; rerun the same command to resume after it",
                s.path("interruption").path("message").asText());
        assertTrue(Files.exists(dir.resolve("checkpoints/task-02/learner.state")));
        assertFalse(Files.exists(dir.resolve("checkpoints/task-03")));
        assertTrue(Files.readString(dir.resolve("run.log")).contains("run interrupted: stopped by SIGTERM"));
        assertEquals(null, Summary.readFinished(dir), "an interrupted run is not a result");

        RunExecutor.Outcome resumed = new RunExecutor().execute(cfg, dir, null);
        assertEquals(Summary.FINISHED, resumed.state());
        assertEquals(2, resumed.summary().get("resumed_after_task").asInt());
        for (String mode : List.of("class-incremental", "task-incremental")) {
            assertEquals(reference.path("evaluations").path(mode).path("accuracy_matrix"),
                    resumed.summary().path("evaluations").path(mode).path("accuracy_matrix"), mode);
        }
    }
}
