package org.cllab.core.api;

import java.util.Map;
import org.cllab.core.data.TaskData;

/** A stream of tasks with a training and a test part each. Implementations live in {@code scenarios}. */
public interface Scenario {
    ScenarioInfo info();

    /** Training samples of task {@code t}. */
    TaskData train(int t);

    /** Test samples of task {@code t}. */
    TaskData test(int t);

    /**
     * Additional named training sources that come with task {@code t} (multi-source meta-transfer: the rich-resource
     * source tasks of a low-resource target); empty for ordinary streams. Passed to the learner as
     * {@link TrainingExperience#sources()}; never evaluated.
     */
    default Map<String, TaskData> sources(int t) {
        return Map.of();
    }

    /** One line describing where the data came from (paths, checksums), for provenance. */
    String dataProvenance();
}
