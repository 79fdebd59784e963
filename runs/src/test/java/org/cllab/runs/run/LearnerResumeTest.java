package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.Path;
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
        LearnerContract.assertResumeIsByteIdentical(cfg, tmp, learner);
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
        LearnerContract.assertResumeIsByteIdentical(cfg, tmp, "dkvb on " + scenario);
    }
}
