package org.cllab.scenarios;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.ListScenario;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.TaskData;
import org.cllab.scenarios.data.ImageSet;

/** A scenario whose tasks are views over a training and a test {@link ImageSet}. */
public final class ImageScenario extends ListScenario {
    ImageScenario(ScenarioInfo info, List<TaskData> train, List<TaskData> test, String provenance) {
        super(info, train, test, provenance);
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
