package org.cllab.core.api;

import java.util.List;
import org.cllab.core.data.TaskData;

/** A {@link Scenario} held as lists of per-task training and test data; datasets and fixtures extend it. */
public class ListScenario implements Scenario {
    private final ScenarioInfo info;
    private final List<TaskData> train;
    private final List<TaskData> test;
    private final String provenance;

    public ListScenario(ScenarioInfo info, List<TaskData> train, List<TaskData> test, String provenance) {
        if (train.size() != info.numTasks() || test.size() != info.numTasks()) {
            throw new IllegalArgumentException("need train and test data for each of " + info.numTasks() + " tasks");
        }
        this.info = info;
        this.train = List.copyOf(train);
        this.test = List.copyOf(test);
        this.provenance = provenance;
    }

    @Override
    public final ScenarioInfo info() {
        return info;
    }

    @Override
    public final TaskData train(int t) {
        return train.get(t);
    }

    @Override
    public final TaskData test(int t) {
        return test.get(t);
    }

    @Override
    public final String dataProvenance() {
        return provenance;
    }
}
