package org.cllab.core.api;

/**
 * What a learner is built with besides its own spec.
 *
 * @param scenario     static facts about the stream
 * @param trainingMode the mode that decides the output layout (single head, multi-head, shared head)
 * @param seed         the learner seed (separate from the stream seed); components derive their own from it
 * @param listener     progress observer
 */
public record LearnerContext(ScenarioInfo scenario, Mode trainingMode, long seed, TrainingListener listener) {
}
