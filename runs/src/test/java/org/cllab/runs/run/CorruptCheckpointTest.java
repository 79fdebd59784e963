package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.Mode;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A corrupt or truncated checkpoint met on resume is named in one log line and the run falls back to the previous
 * intact boundary (or starts over); the resumed run still ends with the uninterrupted run's matrices.
 */
class CorruptCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void corruptNewestBoundariesFallBackToTheLastIntactOne() throws IOException {
        RunConfig cfg = TinyRuns.config();
        JsonNode reference = new RunExecutor().execute(cfg, tmp.resolve("ref"), null).summary();
        Path dir = tmp.resolve("run");
        assertThrows(IllegalStateException.class, () -> new RunExecutor(false, TinyRuns.crashAfter(2)).execute(cfg, dir, null));
        Path two = dir.resolve("checkpoints/task-02/learner.state");
        byte[] b = Files.readAllBytes(two);
        b[b.length / 2] ^= 0x40; // same length, one flipped bit: only the checksum sees it
        Files.write(two, b);
        Path one = dir.resolve("checkpoints/task-01/learner.state");
        byte[] c = Files.readAllBytes(one);
        Files.write(one, Arrays.copyOf(c, c.length / 3)); // truncated

        RunExecutor.Outcome o = new RunExecutor().execute(cfg, dir, null);
        assertEquals(0, o.summary().get("resumed_after_task").asInt(), "fell back to task-00");
        for (String mode : List.of("class-incremental", "task-incremental")) {
            assertEquals(reference.path("evaluations").path(mode).path("accuracy_matrix"),
                    o.summary().path("evaluations").path(mode).path("accuracy_matrix"), mode);
        }
        String log = Files.readString(dir.resolve("run.log"));
        assertTrue(log.contains(two + ": corrupt or truncated checkpoint (SHA-256 "), log);
        assertTrue(log.contains("falling back to the previous boundary task-01"), log);
        assertTrue(log.contains(one + ": corrupt or truncated checkpoint ("), log);
        assertTrue(log.contains("falling back to the previous boundary task-00"), log);
        assertTrue(Files.exists(dir.resolve("checkpoints/corrupt-task-02")), "kept for inspection");
        assertTrue(Files.exists(dir.resolve("checkpoints/task-05/learner.state")));
    }

    @Test
    void withNoIntactBoundaryTheRunStartsOver() throws IOException {
        Path cp = tmp.resolve("checkpoints");
        ContinualLearner learner = new ContinualLearner() {
            @Override
            public Set<Mode> evaluationModes() {
                return Set.of();
            }

            @Override
            public void saveState(StateWriter out) throws IOException {
                out.putArray("w", Nd4j.createFromArray(1f, 2f));
            }

            @Override
            public void loadState(StateReader in) {
                throw new AssertionError("a corrupt boundary must not reach the learner");
            }
        };
        FileBoundaryStore store = new FileBoundaryStore(cp, 0);
        store.save(new ProtocolState(0, new LinkedHashMap<>(), List.of()), learner);
        store.save(new ProtocolState(1, new LinkedHashMap<>(), List.of(1.0)), learner);
        Files.writeString(cp.resolve("task-00/progress.json"), "{\"tasks_do");
        Files.write(cp.resolve("task-01/learner.state"), new byte[0]);
        assertEquals(Optional.empty(), store.restore(learner));
        assertFalse(Files.exists(cp.resolve("task-00")));
        assertTrue(Files.exists(cp.resolve("corrupt-task-00/progress.json")));
        assertEquals(Optional.empty(), store.restore(learner), "the corrupt ones are not met again");
    }
}
