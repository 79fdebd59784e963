package org.cllab.core.learners;

import java.util.EnumSet;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.spi.LearnerResources;
import org.cllab.core.spi.AbstractLearnerType;

/**
 * Base of the learner types built on an {@link MlpClassifier}: trainable in every mode, evaluable as the output
 * layout allows ({@link OutputLayout#evaluationModes}).
 *
 * @param <S> settings record
 */
abstract class MlpLearnerType<S extends Record> extends AbstractLearnerType<S> {
    MlpLearnerType(String name, Class<S> settings, String doc) {
        super(name, settings, doc, EnumSet.allOf(Mode.class), OutputLayout::evaluationModes);
    }

    @Override
    public final ContinualLearner create(S s, LearnerContext context, LearnerResources resources) {
        return create(s, context);
    }

    abstract ContinualLearner create(S s, LearnerContext context);
}
