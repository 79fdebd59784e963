package org.cllab.core.learners;

import java.util.EnumSet;
import java.util.Set;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.spi.LearnerResources;
import org.cllab.core.spi.LearnerType;

/**
 * Base of the learner types built on an {@link MlpClassifier}: trainable in every mode, evaluable as the output
 * layout allows ({@link OutputLayout#evaluationModes}).
 *
 * @param <S> settings record
 */
abstract class MlpLearnerType<S extends Record> implements LearnerType<S> {
    private final String name;
    private final String doc;
    private final Class<S> settings;

    MlpLearnerType(String name, Class<S> settings, String doc) {
        this.name = name;
        this.settings = settings;
        this.doc = doc;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String doc() {
        return doc;
    }

    @Override
    public Class<S> settings() {
        return settings;
    }

    @Override
    public Set<Mode> trainingModes() {
        return EnumSet.allOf(Mode.class);
    }

    @Override
    public Set<Mode> evaluationModes(Mode training) {
        return OutputLayout.evaluationModes(training);
    }

    @Override
    public final ContinualLearner create(S s, LearnerContext context, LearnerResources resources) {
        return create(s, context);
    }

    abstract ContinualLearner create(S s, LearnerContext context);
}
