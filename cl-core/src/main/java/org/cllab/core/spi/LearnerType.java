package org.cllab.core.spi;

import java.util.Set;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;

/**
 * A learner as a plug-in: its name in {@code learner.type}, its documentation, its settings, the modes it supports,
 * its checks against the scenario and its factory. Implementations are stateless and published by a
 * {@link LearnerModule}.
 *
 * @param <S> the settings record ({@link Settings}); its components are the learner's config keys
 */
public interface LearnerType<S extends Record> {
    /** The value of {@code learner.type}. */
    String name();

    /** One or two sentences for the config reference (Markdown). */
    String doc();

    /** The settings record. */
    Class<S> settings();

    /** Training modes the learner can be trained in. */
    Set<Mode> trainingModes();

    /** Modes a learner trained in {@code training} can be evaluated in (its predictors must agree). */
    Set<Mode> evaluationModes(Mode training);

    /**
     * Problems of these settings on this scenario that are visible before any data is loaded (impossible
     * combinations, a training mode the learner cannot use with its own message): throw a {@link SettingProblem}
     * naming the key. The runner separately rejects training modes outside {@link #trainingModes()} and evaluation
     * modes outside {@link #evaluationModes}.
     */
    default void check(S settings, ScenarioFacts facts) {
    }

    /** A fresh learner; problems that need the data (e.g. the feature dimension) are {@link SettingProblem}s. */
    ContinualLearner create(S settings, LearnerContext context, LearnerResources resources);

    /** True for a reference learner (an upper bound such as joint training) that report tables do not rank. */
    default boolean reference() {
        return false;
    }
}
