package org.cllab.scenarios.spi;

import java.util.Map;
import org.cllab.core.api.Mode;

/**
 * What a scenario type's checks may know besides its own settings.
 *
 * @param trainingMode   the training mode
 * @param encoded        whether a frozen encoder ({@code scenario.encoder}) is set
 * @param datasetClasses number of classes of every registered dataset
 */
public record ScenarioChecks(Mode trainingMode, boolean encoded, Map<String, Integer> datasetClasses) {
    public ScenarioChecks {
        datasetClasses = Map.copyOf(datasetClasses);
    }
}
