package org.cllab.core.spi;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.cllab.core.api.Mode;

/**
 * The descriptive half of a {@link LearnerType} (name, doc, settings record, modes) held in fields, so that a
 * plug-in writes only its checks and its factory.
 *
 * @param <S> settings record
 */
public abstract class AbstractLearnerType<S extends Record> implements LearnerType<S> {
    private final String name;
    private final Class<S> settings;
    private final String doc;
    private final Set<Mode> trainingModes;
    private final Function<Mode, Set<Mode>> evaluationModes;

    /**
     * @param evaluationModes the modes a learner trained in a mode can be evaluated in
     */
    protected AbstractLearnerType(String name, Class<S> settings, String doc, Set<Mode> trainingModes,
                                  Function<Mode, Set<Mode>> evaluationModes) {
        this.name = name;
        this.settings = settings;
        this.doc = doc;
        this.trainingModes = Set.copyOf(trainingModes);
        this.evaluationModes = evaluationModes;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String doc() {
        return doc;
    }

    @Override
    public final Class<S> settings() {
        return settings;
    }

    @Override
    public final Set<Mode> trainingModes() {
        return EnumSet.copyOf(trainingModes);
    }

    @Override
    public final Set<Mode> evaluationModes(Mode training) {
        return EnumSet.copyOf(evaluationModes.apply(training));
    }
}
