package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.DivergedException;
import org.cllab.core.api.Mode;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.cllab.runs.cli.Cl;
import org.cllab.runs.cli.ClRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A non-finite loss or parameter stops the run at once: {@code "finished": false}, a failure record in
 * {@code summary.json}, exit code {@link Cl#DIVERGED}; rerunning reports it again without redoing it.
 */
class DivergenceTest {
    @TempDir
    Path tmp;

    @Test
    void nanLossStopsTheRunWithAFailureRecordAndItsOwnExitCode() throws IOException {
        Path out = tmp.resolve("run");
        String[] a = TinyRuns.clArgs(tmp, out, "learner.lr=3e38", "learner.optimizer=sgd");
        ClRun.Result r = ClRun.run(a);
        assertEquals(Cl.DIVERGED, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("cl: training diverged: loss is "), r.err());
        assertTrue(r.err().contains("in task 1 at step "), r.err());
        assertTrue(r.err().contains("learner.lr=3.0E38"), r.err());
        JsonNode s = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertFalse(s.get("finished").asBoolean());
        assertEquals("diverged", s.get("state").asText());
        JsonNode f = s.get("failure");
        assertEquals(1, f.get("task").asInt());
        assertTrue(f.get("step").asLong() >= 1, f.toString());
        assertEquals("loss", f.get("what").asText());
        assertTrue(f.get("found").asText().matches("NaN|-?Infinity"), f.toString());
        assertTrue(f.get("hint").asText().contains("learning rate"), f.toString());
        assertEquals(0, s.get("tasks_completed").asInt());
        assertTrue(Files.exists(out.resolve("checkpoints/task-00")), "the last intact boundary stays");
        assertFalse(Files.exists(out.resolve("checkpoints/task-01")));
        assertFalse(Files.exists(out.resolve("accuracy_matrix_class-incremental.csv")));
        assertTrue(Files.readString(out.resolve("run.log")).contains("run diverged: training diverged"));

        long before = Files.getLastModifiedTime(out.resolve("summary.json")).toMillis();
        ClRun.Result again = ClRun.run(a);
        assertEquals(Cl.DIVERGED, again.code(), again.err());
        assertTrue(again.err().startsWith("cl: this run diverged earlier (" + out + "/summary.json): training "
                + "diverged"), again.err());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("summary.json")).toMillis(), "not redone");
    }

    /** A learner whose state holds a NaN: the boundary is refused (checkpoints on or off) and not written. */
    @Test
    void nonFiniteParameterAtABoundaryIsDivergence() throws IOException {
        ContinualLearner nan = new ContinualLearner() {
            @Override
            public java.util.Set<Mode> evaluationModes() {
                return java.util.Set.of();
            }

            @Override
            public void saveState(StateWriter out) throws IOException {
                out.putArray("mlp/W0", Nd4j.createFromArray(1f, Float.NaN, 3f));
                out.putArray("mlp/b0", Nd4j.createFromArray(Float.POSITIVE_INFINITY));
            }

            @Override
            public void loadState(StateReader in) {
            }
        };
        ProtocolState state = new ProtocolState(2, new java.util.LinkedHashMap<>(), List.of(1.0, 1.0));
        FileBoundaryStore store = new FileBoundaryStore(tmp.resolve("checkpoints"), 0);
        DivergedException e = assertThrows(DivergedException.class, () -> store.save(state, nan));
        assertEquals("training diverged: learner state entry mlp/W0 (and 1 more) is not finite (NaN or infinite "
                + "values) in task 2 at the end of the task", e.getMessage());
        assertEquals(Optional.empty(), store.restore(nan));
        try (var s = Files.list(tmp.resolve("checkpoints"))) {
            assertEquals(0, s.count(), "no boundary and no partial directory");
        }
        assertThrows(DivergedException.class, () -> FiniteState.checkOnly().save(state, nan));
    }
}
