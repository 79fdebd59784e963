package org.cllab.scenarios;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.Scenario;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.TaskData;
import org.cllab.scenarios.data.ImageSet;

/** A {@link Scenario} whose tasks are views over a training and a test {@link ImageSet}. */
public final class ImageScenario implements Scenario {
    private final ScenarioInfo info;
    private final List<TaskData> train;
    private final List<TaskData> test;
    private final String provenance;

    ImageScenario(ScenarioInfo info, List<TaskData> train, List<TaskData> test, String provenance) {
        this.info = info;
        this.train = List.copyOf(train);
        this.test = List.copyOf(test);
        this.provenance = provenance;
    }

    @Override
    public ScenarioInfo info() {
        return info;
    }

    @Override
    public TaskData train(int t) {
        return train.get(t);
    }

    @Override
    public TaskData test(int t) {
        return test.get(t);
    }

    @Override
    public String dataProvenance() {
        return provenance;
    }

    /** Collects the per-task parts while a scenario is being assembled. */
    static final class Assembly {
        final List<TaskInfo> tasks = new ArrayList<>();
        final List<TaskData> train = new ArrayList<>();
        final List<TaskData> test = new ArrayList<>();

        ImageScenario build(String name, ImageSet trainSet, ImageSet testSet, int numClasses, int localClasses) {
            ScenarioInfo info = new ScenarioInfo(name, tasks, trainSet.featureDim(),
                    new int[] {trainSet.channels(), trainSet.rows(), trainSet.cols()}, numClasses, localClasses);
            return new ImageScenario(info, train, test, "train=" + trainSet.source() + " (" + trainSet.size()
                    + "), test=" + testSet.source() + " (" + testSet.size() + ")");
        }
    }
}
