package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.eval.ProtocolState;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Learner options with state of their own, interrupted after task 2 and resumed from the checkpoint, end with the
 * accuracy matrix and the learner state of an uninterrupted run (issue 3, acceptance 3): HNET's importance weights
 * and sampled look-ahead regularisation, RNN hypernetwork growth, the key-value bottleneck on two streams. Every
 * registered learner in every training mode with its default options is covered by {@link LearnerContractTest}.
 */
class LearnerResumeTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"hnet, task-incremental", "rnn-hnet, task-incremental", "hnet-sampled-lookahead, task-incremental"})
    void resumedRunEqualsUninterrupted(String learner, String mode) throws IOException {
        // hnet-sampled-lookahead: HNET regularising one sampled previous task per step, at the lookahead point
        boolean sampled = learner.equals("hnet-sampled-lookahead");
        RunConfig cfg = TinyRuns.config("learner.type=" + (sampled ? "hnet" : learner), "scenario.mode=" + mode,
                "learner.hnet.reg_tasks=" + (sampled ? 1 : 0), "learner.hnet.lookahead=" + sampled,
                "evaluation.modes=[" + mode + "]", "learner.er.buffer_size=50", "learner.ewc.fisher_samples=100",
                "learner.reset_optimizer=false", "learner.epochs=3", "learner.hnet.iterations=30",
                "learner.hnet.hidden=[16]", "learner.hnet.chunk_dim=300", "learner.rnn.hidden_units=12",
                "learner.rnn.grow_threshold=0.99", "learner.rnn.grow_units=4", "learner.rnn.max_growths=1",
                "learner.hnet.importance=true");
        JsonNode reference = new RunExecutor().execute(cfg, tmp.resolve("ref"), null).summary();

        Path dir = tmp.resolve("killed");
        ProtocolListener crash = new ProtocolListener() {
            @Override
            public void onBoundary(ProtocolState state) {
                if (state.tasksDone() == 2) {
                    throw new IllegalStateException("simulated crash after task 2");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> new RunExecutor(false, crash).execute(cfg, dir, null));
        assertFalse(Files.exists(dir.resolve("summary.json")));
        JsonNode resumed = new RunExecutor().execute(cfg, dir, null).summary();
        assertEquals(2, resumed.get("resumed_after_task").asInt());
        assertEquals(reference.path("evaluations").path(mode).path("accuracy_matrix"),
                resumed.path("evaluations").path(mode).path("accuracy_matrix"));
        assertTrue(java.util.Arrays.equals(
                Files.readAllBytes(tmp.resolve("ref/checkpoints/task-05/learner.state")),
                Files.readAllBytes(dir.resolve("checkpoints/task-05/learner.state"))),
                "final learner state is byte-identical");
    }

    /** The key-value bottleneck: keys, values, usage counts restored; the carried stream remainder recomputed. */
    @ParameterizedTest(name = "dkvb on {0}")
    @CsvSource({"split", "gaussian-toy"})
    void dkvbResumedRunEqualsUninterrupted(String scenario) throws IOException {
        boolean toy = scenario.equals("gaussian-toy");
        RunConfig cfg = TinyRuns.config("learner.type=dkvb", "scenario.type=" + scenario,
                "scenario.tasks=" + (toy ? 4 : 5), "evaluation.modes=[class-incremental]",
                "learner.batch_size=" + (toy ? 30 : 64), "learner.dkvb.codebooks=" + (toy ? 4 : 8),
                "learner.dkvb.pairs=64", "learner.dkvb.key_dim=" + (toy ? 2 : 4),
                "learner.dkvb.key_init=" + (toy ? "uniform" : "fashion-mnist"), "learner.dkvb.init_samples=600",
                "learner.dkvb.init_batch_size=128", "learner.dkvb.init_epochs=2", "learner.dkvb.steps_per_batch=3");
        JsonNode reference = new RunExecutor().execute(cfg, tmp.resolve("ref"), null).summary();
        Path dir = tmp.resolve("killed");
        ProtocolListener crash = new ProtocolListener() {
            @Override
            public void onBoundary(ProtocolState state) {
                if (state.tasksDone() == 2) {
                    throw new IllegalStateException("simulated crash after task 2");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> new RunExecutor(false, crash).execute(cfg, dir, null));
        JsonNode resumed = new RunExecutor().execute(cfg, dir, null).summary();
        assertEquals(2, resumed.get("resumed_after_task").asInt());
        assertEquals(reference.path("evaluations").path("class-incremental").path("accuracy_matrix"),
                resumed.path("evaluations").path("class-incremental").path("accuracy_matrix"));
        String last = toy ? "task-04" : "task-05";
        assertTrue(java.util.Arrays.equals(
                Files.readAllBytes(tmp.resolve("ref/checkpoints/" + last + "/learner.state")),
                Files.readAllBytes(dir.resolve("checkpoints/" + last + "/learner.state"))),
                "final learner state is byte-identical");
    }
}
