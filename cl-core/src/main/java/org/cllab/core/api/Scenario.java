package org.cllab.core.api;

import org.cllab.core.data.TaskData;

/** A stream of tasks with a training and a test part each. Implementations live in {@code scenarios}. */
public interface Scenario {
    ScenarioInfo info();

    /** Training samples of task {@code t}. */
    TaskData train(int t);

    /** Test samples of task {@code t}. */
    TaskData test(int t);

    /** One line describing where the data came from (paths, checksums), for provenance. */
    String dataProvenance();
}
