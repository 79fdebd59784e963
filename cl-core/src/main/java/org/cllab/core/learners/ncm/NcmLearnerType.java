package org.cllab.core.learners.ncm;

import java.util.EnumSet;
import java.util.List;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
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
 * {@code learner.type: ncm}, the {@link NearestClassMeanLearner}: its settings ({@code learner.batch_size} as the
 * stream batch size, {@code learner.ncm.metric}), its check (no task-incremental training: it never sees a task id)
 * and its factory. The worked example of "How to add a learner" in {@code docs/architecture.md}.
 */
public final class NcmLearnerType extends AbstractLearnerType<NcmLearnerType.NcmSettings> implements LearnerModule {
    /** Settings of {@code ncm}. */
    @Settings(prefix = "learner")
    public record NcmSettings(
            @Setting(def = "128", check = Check.POSITIVE, doc = "Stream batch size: samples per `observe` call.")
            int batchSize,
            Keys ncm) {
    }

    /** {@code learner.ncm.*}. */
    @Settings(prefix = "learner.ncm")
    public record Keys(
            @Setting(def = "euclidean", doc = "Distance to the class means: `euclidean`, or `cosine` (features and "
                    + "means L2-normalised).") NearestClassMeanLearner.Metric metric) {
    }

    public NcmLearnerType() {
        super("ncm", NcmSettings.class, "nearest class mean (Mensink et al. 2013), a streaming, boundary-free reference "
                + "that cannot forget by construction, on raw or frozen-encoder features (`learner.ncm.*`; uses "
                + "`learner.batch_size` as stream batch size and none of the other MLP keys)",
                EnumSet.of(Mode.CLASS_INCREMENTAL, Mode.DOMAIN_INCREMENTAL), EnumSet::of);
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(this);
    }

    @Override
    public void check(NcmSettings settings, ScenarioFacts facts) {
        if (facts.trainingMode() == Mode.TASK_INCREMENTAL) {
            throw new SettingProblem("scenario.mode", "ncm never receives task ids: train it class-incremental or "
                    + "domain-incremental");
        }
    }

    @Override
    public ContinualLearner create(NcmSettings s, LearnerContext context, LearnerResources resources) {
        return new NearestClassMeanLearner(context, s.batchSize(), s.ncm().metric());
    }
}
