package org.cllab.core.learners;

import java.util.List;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.parts.EwcPenalty;
import org.cllab.core.spi.Check;
import org.cllab.core.spi.LearnerModule;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.Setting;
import org.cllab.core.spi.Settings;

/**
 * The baselines every continual-learning paper compares against, as plug-ins: finetune, joint, EWC, online EWC, SI,
 * experience replay and LwF, all on the shared MLP keys ({@link MlpSettings}) plus their own.
 */
public final class BaselineLearners implements LearnerModule {
    /** {@code learner.ewc.*} of EWC and online EWC. */
    @Settings(prefix = "learner.ewc")
    public record EwcKeys(
            @Setting(def = "1000.0", check = Check.NON_NEGATIVE, doc = "`ewc`, `online-ewc`: penalty strength lambda "
                    + "in lambda/2 * sum F (theta - theta*)^2.") double lambda,
            @Setting(def = "1000", check = Check.NON_NEGATIVE, doc = "`ewc`, `online-ewc`: training samples of a "
                    + "task used to estimate its diagonal Fisher; 0 = all.") int fisherSamples,
            @Setting(def = "sampled", doc = "`ewc`, `online-ewc`: labels of the Fisher: drawn from the model's "
                    + "predictive distribution (`sampled`, the Fisher information) or the data's labels "
                    + "(`empirical`).") MlpClassifier.FisherLabels fisherLabels) {
    }

    /** {@code learner.ewc.gamma}, online EWC only. */
    @Settings(prefix = "learner.ewc")
    public record OnlineEwcKeys(
            @Setting(def = "1.0", check = Check.UNIT, doc = "`online-ewc`: decay of the running Fisher "
                    + "(F = gamma F_old + F_t); 1 = no decay.") double gamma) {
    }

    /** Settings of {@code ewc}. */
    @Settings(prefix = "learner")
    public record EwcSettings(MlpSettings mlp, EwcKeys ewc) {
    }

    /** Settings of {@code online-ewc}. */
    @Settings(prefix = "learner")
    public record OnlineEwcSettings(MlpSettings mlp, EwcKeys ewc, OnlineEwcKeys online) {
    }

    /** Settings of {@code si}. */
    @Settings(prefix = "learner")
    public record SiSettings(MlpSettings mlp, SiKeys si) {
    }

    /** {@code learner.si.*}. */
    @Settings(prefix = "learner.si")
    public record SiKeys(
            @Setting(def = "100.0", check = Check.NON_NEGATIVE, doc = "`si`: penalty strength c in c * sum Omega "
                    + "(theta - theta*)^2.") double c,
            @Setting(def = "0.1", check = Check.POSITIVE, doc = "`si`: damping xi in Omega += omega / (delta^2 + "
                    + "xi).") double xi) {
    }

    /** Settings of {@code er}. */
    @Settings(prefix = "learner")
    public record ErSettings(MlpSettings mlp, ErKeys er) {
    }

    /** {@code learner.er.*}. */
    @Settings(prefix = "learner.er")
    public record ErKeys(
            @Setting(def = "1000", check = Check.POSITIVE, doc = "`er`: total replay buffer size in samples (all "
                    + "classes together).") int bufferSize,
            @Setting(def = "0", check = Check.NON_NEGATIVE, doc = "`er`: replayed samples appended to every "
                    + "minibatch; 0 = `learner.batch_size`.") int replayBatchSize,
            @Setting(def = "false", doc = "`er`: class-balanced reservoir sampling (CBRS) instead of plain reservoir "
                    + "sampling.") boolean classBalanced) {
    }

    /** Settings of {@code lwf}. */
    @Settings(prefix = "learner")
    public record LwfSettings(MlpSettings mlp, LwfKeys lwf) {
    }

    /** {@code learner.lwf.*}. */
    @Settings(prefix = "learner.lwf")
    public record LwfKeys(
            @Setting(def = "2.0", check = Check.POSITIVE, doc = "`lwf`: distillation temperature.") double temperature,
            @Setting(def = "1.0", check = Check.NON_NEGATIVE, doc = "`lwf`: weight of the distillation loss.")
            double alpha) {
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(
                new MlpLearnerType<>("finetune", MlpSettings.class, "sequential training, no protection") {
                    @Override
                    ContinualLearner create(MlpSettings s, LearnerContext ctx) {
                        return new FinetuneLearner(s.spec(), ctx);
                    }
                },
                new MlpLearnerType<>("joint", MlpSettings.class, "trains on all tasks seen so far (upper bound; a "
                        + "reference in report tables)") {
                    @Override
                    ContinualLearner create(MlpSettings s, LearnerContext ctx) {
                        return new JointLearner(s.spec(), ctx);
                    }

                    @Override
                    public boolean reference() {
                        return true;
                    }
                },
                new MlpLearnerType<>("ewc", EwcSettings.class, "elastic weight consolidation, one penalty per task "
                        + "(Kirkpatrick et al. 2017; `learner.ewc.*`)") {
                    @Override
                    ContinualLearner create(EwcSettings s, LearnerContext ctx) {
                        return new EwcLearner(s.mlp().spec(), new EwcLearner.Settings(EwcPenalty.Kind.EWC,
                                s.ewc().lambda(), 1.0, s.ewc().fisherSamples(), s.ewc().fisherLabels()), ctx);
                    }
                },
                new MlpLearnerType<>("online-ewc", OnlineEwcSettings.class, "online EWC, one running Fisher "
                        + "(Schwarz et al. 2018; `learner.ewc.*`)") {
                    @Override
                    ContinualLearner create(OnlineEwcSettings s, LearnerContext ctx) {
                        return new EwcLearner(s.mlp().spec(), new EwcLearner.Settings(EwcPenalty.Kind.ONLINE,
                                s.ewc().lambda(), s.online().gamma(), s.ewc().fisherSamples(),
                                s.ewc().fisherLabels()), ctx);
                    }
                },
                new MlpLearnerType<>("si", SiSettings.class, "synaptic intelligence (Zenke et al. 2017; "
                        + "`learner.si.*`)") {
                    @Override
                    ContinualLearner create(SiSettings s, LearnerContext ctx) {
                        return new SiLearner(s.mlp().spec(), s.si().c(), s.si().xi(), ctx);
                    }
                },
                new MlpLearnerType<>("er", ErSettings.class, "experience replay from a reservoir or class-balanced "
                        + "buffer (`learner.er.*`)") {
                    @Override
                    ContinualLearner create(ErSettings s, LearnerContext ctx) {
                        return new ReplayLearner(s.mlp().spec(), s.er().bufferSize(), s.er().replayBatchSize(),
                                s.er().classBalanced(), ctx);
                    }
                },
                new MlpLearnerType<>("lwf", LwfSettings.class, "learning without forgetting (Li and Hoiem 2017; "
                        + "`learner.lwf.*`)") {
                    @Override
                    ContinualLearner create(LwfSettings s, LearnerContext ctx) {
                        return new LwfLearner(s.mlp().spec(), s.lwf().temperature(), s.lwf().alpha(), ctx);
                    }
                });
    }
}
