package org.cllab.scenarios;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.ListScenario;
import org.cllab.core.api.Scenario;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.data.ArrayTaskData;
import org.cllab.core.data.TaskData;
import org.cllab.core.nn.FrozenEncoder;

/**
 * A scenario whose features are a frozen encoder's outputs: every task's training and test samples are encoded
 * once, up front. Tasks, labels and order are those of the wrapped scenario. Learners on it all see the same frozen
 * features (the key-value bottleneck and its linear-probe / MLP baselines).
 */
public final class EncodedScenario extends ListScenario {
    private EncodedScenario(ScenarioInfo info, List<TaskData> train, List<TaskData> test, String provenance) {
        super(info, train, test, provenance);
    }

    /**
     * @param encoderDescription one line naming the encoder (file, hash), for provenance
     */
    public static EncodedScenario of(Scenario s, FrozenEncoder encoder, String encoderDescription) {
        ScenarioInfo in = s.info();
        if (in.featureDim() != encoder.inputDim()) {
            throw new IllegalArgumentException("the encoder takes " + encoder.inputDim() + " inputs, the scenario has "
                    + in.featureDim() + " features");
        }
        List<TaskData> train = new ArrayList<>();
        List<TaskData> test = new ArrayList<>();
        for (int t = 0; t < in.numTasks(); t++) {
            train.add(encode(s.train(t), encoder));
            test.add(encode(s.test(t), encoder));
        }
        int o = encoder.outputDim();
        ScenarioInfo info = new ScenarioInfo(in.name(), in.tasks(), o, new int[] {1, 1, o}, in.numClasses(),
                in.localClasses());
        return new EncodedScenario(info, train, test, s.dataProvenance() + "; features: " + encoderDescription);
    }

    private static TaskData encode(TaskData data, FrozenEncoder encoder) {
        int n = data.size();
        int d = data.featureDim();
        float[] x = new float[n * d];
        int[] cls = new int[n];
        int[] loc = new int[n];
        for (int i = 0; i < n; i++) {
            data.copyFeatures(i, x, i * d);
            cls[i] = data.classLabel(i);
            loc[i] = data.localLabel(i);
        }
        return new ArrayTaskData(encoder.encodeAll(x, n), encoder.outputDim(), cls, loc);
    }
}
