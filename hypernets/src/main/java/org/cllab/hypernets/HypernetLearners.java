package org.cllab.hypernets;

import java.util.EnumSet;
import java.util.List;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.learners.MlpLearnerSpec;
import org.cllab.core.nn.Activation;
import org.cllab.core.spi.AbstractLearnerType;
import org.cllab.core.spi.Check;
import org.cllab.core.spi.LearnerModule;
import org.cllab.core.spi.LearnerResources;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.ScenarioFacts;
import org.cllab.core.spi.Setting;
import org.cllab.core.spi.SettingProblem;
import org.cllab.core.spi.Settings;

/**
 * The hypernetwork learners as plug-ins: {@code hnet} (von Oswald et al., ICLR 2020: a chunked MLP hypernetwork) and
 * {@code rnn-hnet} (Chandra et al. 2023, "Continual Learning with Dependency Preserving Hypernetworks": an LSTM
 * hypernetwork emitting the target weights chunk by chunk). Both train task-incrementally and are evaluated
 * task-incrementally or, by minimum-entropy task inference, class-incrementally.
 */
public final class HypernetLearners implements LearnerModule {
    /**
     * The target network's keys: the MLP keys a hypernetwork learner reads. It always trains with Adam, so
     * {@code learner.optimizer} must be {@code adam}; {@code momentum} and {@code reset_optimizer} do not apply.
     */
    @Settings(prefix = "learner")
    public record TargetKeys(
            @Setting(def = "[400, 400]", check = Check.POSITIVE, doc = "Hidden layer sizes of the target MLP.")
            int[] hidden,
            @Setting(def = "relu", doc = "Activation of the target MLP's hidden layers.") Activation activation,
            @Setting(def = "adam", doc = "Must be `adam`: the hypernetwork and the task embeddings are trained with "
                    + "Adam (hypnettorch's setting).") MlpLearnerSpec.OptimizerKind optimizer,
            @Setting(def = "0.001", check = Check.POSITIVE, doc = "Adam learning rate of the hypernetwork and the "
                    + "embeddings.") double lr,
            @Setting(def = "128", check = Check.POSITIVE, doc = "Minibatch size.") int batchSize,
            @Setting(def = "1", check = Check.POSITIVE, doc = "Passes over each task when "
                    + "`learner.hnet.iterations` is 0.") int epochs) {
        public TargetKeys {
            hidden = hidden.clone();
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        MlpLearnerSpec spec() {
            return new MlpLearnerSpec(hidden, activation, optimizer, lr, 0.0, batchSize, epochs, true);
        }
    }

    /** {@code learner.hnet.*} keys of both hypernetwork learners. */
    @Settings(prefix = "learner.hnet")
    public record CommonKeys(
            @Setting(def = "750", check = Check.POSITIVE, doc = "Target weights generated per chunk.") int chunkDim,
            @Setting(def = "8", check = Check.POSITIVE, doc = "Size of each task embedding.") int taskEmbDim,
            @Setting(def = "8", check = Check.POSITIVE, doc = "Size of each chunk embedding.") int chunkEmbDim,
            @Setting(def = "0.01", check = Check.NON_NEGATIVE, doc = "Strength of the output regulariser "
                    + "beta/(t) * sum_j ||h(e_j) - h*(e_j)||^2.") double beta,
            @Setting(def = "1001", check = Check.NON_NEGATIVE, doc = "Optimiser steps per task; 0 = "
                    + "`learner.epochs` passes over the task.") int iterations,
            @Setting(def = "false", doc = "Weight the output regulariser by the target network's diagonal Fisher of "
                    + "each old task (normalised to mean 1).") boolean importance,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "Previous tasks in the output regulariser per step, "
                    + "drawn uniformly without replacement (hypnettorch's `cl_reg_batch_size`); 0 = all previous "
                    + "tasks.") int regTasks,
            @Setting(def = "false", doc = "Evaluate the output regulariser at theta + delta-theta, the Adam step the "
                    + "task loss alone would take (hypnettorch's default; off here because the committed tables were "
                    + "measured without it).") boolean lookahead) {
    }

    /** {@code learner.hnet.*} keys of the MLP hypernetwork only. */
    @Settings(prefix = "learner.hnet")
    public record MlpHnetKeys(
            @Setting(def = "[100, 100]", check = Check.POSITIVE, doc = "Hidden layers of the hypernetwork MLP.")
            int[] hidden,
            @Setting(def = "relu", doc = "Hidden activation of the hypernetwork.") Activation activation) {
        public MlpHnetKeys {
            hidden = hidden.clone();
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }
    }

    /** {@code learner.rnn.*}. */
    @Settings(prefix = "learner.rnn")
    public record RnnKeys(
            @Setting(def = "80", check = Check.POSITIVE, doc = "LSTM hidden units (80 with chunks of 750 gives about "
                    + "the parameter count of the default `hnet`).") int hiddenUnits,
            @Setting(def = "0.0", check = Check.UNIT, doc = "Grow when the held-out accuracy of a task after its "
                    + "iterations is below this (0 = never grow).") double growThreshold,
            @Setting(def = "16", check = Check.POSITIVE, doc = "Hidden units added per growth (their outgoing weights "
                    + "start at zero).") int growUnits,
            @Setting(def = "2", check = Check.NON_NEGATIVE, doc = "Growths allowed per task.") int maxGrowths) {
    }

    /** Settings of {@code hnet}. */
    @Settings(prefix = "learner")
    public record HnetSettings(TargetKeys target, CommonKeys hnet, MlpHnetKeys mlp) {
    }

    /** Settings of {@code rnn-hnet}. */
    @Settings(prefix = "learner")
    public record RnnHnetSettings(TargetKeys target, CommonKeys hnet, RnnKeys rnn) {
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(new Type<>("hnet", HnetSettings.class, "a chunked hypernetwork generating the MLP's weights "
                + "(von Oswald et al. 2020; `learner.hnet.*`; task-incremental training, class-incremental "
                + "evaluation by entropy)") {
            @Override
            TargetKeys target(HnetSettings s) {
                return s.target();
            }

            @Override
            public ContinualLearner create(HnetSettings s, LearnerContext ctx, LearnerResources resources) {
                CommonKeys h = s.hnet();
                return new HypernetLearner(s.target().spec(), hypernetSettings(h, null), ctx, (p, rng) ->
                        new ChunkedHyperNetwork(p, h.taskEmbDim(), h.chunkEmbDim(), s.mlp().hidden(), h.chunkDim(),
                                s.mlp().activation(), rng));
            }
        }, new Type<>("rnn-hnet", RnnHnetSettings.class, "an LSTM hypernetwork emitting the weights chunk by chunk "
                + "(Chandra et al. 2023; `learner.hnet.*`, `learner.rnn.*`)") {
            @Override
            TargetKeys target(RnnHnetSettings s) {
                return s.target();
            }

            @Override
            public ContinualLearner create(RnnHnetSettings s, LearnerContext ctx, LearnerResources resources) {
                CommonKeys h = s.hnet();
                return new HypernetLearner(s.target().spec(), hypernetSettings(h, s.rnn()), ctx, (p, rng) ->
                        new RnnHyperNetwork(p, h.taskEmbDim(), h.chunkEmbDim(), s.rnn().hiddenUnits(), h.chunkDim(),
                                rng));
            }
        });
    }

    private static HypernetLearner.Settings hypernetSettings(CommonKeys h, RnnKeys rnn) {
        return new HypernetLearner.Settings(h.taskEmbDim(), h.beta(), h.iterations(), h.importance(),
                rnn == null ? 0 : rnn.growThreshold(), rnn == null ? 16 : rnn.growUnits(),
                rnn == null ? 2 : rnn.maxGrowths(), h.regTasks(), h.lookahead());
    }

    private abstract static class Type<S extends Record> extends AbstractLearnerType<S> {
        Type(String name, Class<S> settings, String doc) {
            super(name, settings, doc, EnumSet.of(Mode.TASK_INCREMENTAL),
                    m -> EnumSet.of(Mode.TASK_INCREMENTAL, Mode.CLASS_INCREMENTAL));
        }

        abstract TargetKeys target(S s);

        @Override
        public void check(S s, ScenarioFacts facts) {
            if (facts.trainingMode() != Mode.TASK_INCREMENTAL) {
                throw new SettingProblem("scenario.mode", name() + " trains one head per task: use task-incremental "
                        + "(class-incremental evaluation then uses entropy-based task inference)");
            }
            if (target(s).optimizer() != MlpLearnerSpec.OptimizerKind.ADAM) {
                throw new SettingProblem("learner.optimizer", name() + " trains with Adam (hypnettorch's setting): "
                        + "use adam");
            }
        }
    }
}
