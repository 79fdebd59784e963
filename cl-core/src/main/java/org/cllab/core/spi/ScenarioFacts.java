package org.cllab.core.spi;

import java.util.Optional;
import org.cllab.core.api.Mode;

/**
 * What a learner's {@link LearnerType#check} may know about the scenario before any data is loaded.
 *
 * @param scenarioType the value of {@code scenario.type}
 * @param dataset      the dataset the stream is drawn from, empty for synthetic streams
 * @param tasks        number of tasks
 * @param trainingMode the training mode
 * @param encoded      whether a frozen encoder replaces the inputs by features
 */
public record ScenarioFacts(String scenarioType, Optional<String> dataset, int tasks, Mode trainingMode,
                            boolean encoded) {
}
