package org.cllab.core.learners;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.nn.Mlp;
import org.cllab.core.parts.Distillation;

/**
 * Learning without Forgetting (Li &amp; Hoiem, TPAMI 2017): before task {@code t} the network is copied and frozen;
 * while learning {@code t} the new network's softened outputs for the old classes (old heads, or the shared head)
 * are distilled towards the frozen copy's on the current data. Needs no stored data; the frozen copy is rebuilt
 * from the current parameters at the start of every task, so it is not part of the checkpoint.
 */
public final class LwfLearner extends AbstractMlpLearner implements TaskAwareLearner {
    private final Distillation distillation;
    private Mlp previous;
    private int[][] groups;

    public LwfLearner(MlpLearnerSpec spec, double temperature, double alpha, LearnerContext context) {
        super(spec, context);
        this.distillation = new Distillation(temperature, alpha);
    }

    @Override
    public void learn(TrainingExperience e) {
        int t = e.taskIndex();
        previous = t == 0 ? null : classifier.network().copy();
        groups = t == 0 ? null : oldGroups(context.scenario(), classifier.layout(), t);
        fit(e.task(), new MinibatchSampler(List.of(e.task()), List.of(e.data())));
        previous = null;
    }

    /** Output-unit groups of the tasks before {@code t}, each softmaxed separately. */
    static int[][] oldGroups(ScenarioInfo s, OutputLayout layout, int t) {
        Mode m = layout.trainingMode();
        if (m == Mode.DOMAIN_INCREMENTAL) {
            int[] all = new int[layout.numOutputs()];
            for (int j = 0; j < all.length; j++) {
                all[j] = j;
            }
            return new int[][] {all};
        }
        if (m == Mode.TASK_INCREMENTAL) {
            int k = s.localClasses();
            int[][] g = new int[t][k];
            for (int h = 0; h < t; h++) {
                for (int j = 0; j < k; j++) {
                    g[h][j] = h * k + j;
                }
            }
            return g;
        }
        List<Integer> old = new ArrayList<>();
        for (int h = 0; h < t; h++) {
            for (int c : s.task(h).classes()) {
                old.add(c);
            }
        }
        return new int[][] {old.stream().mapToInt(Integer::intValue).toArray()};
    }

    @Override
    protected MlpClassifier.LogitTerm logitTerm() {
        if (previous == null) {
            return null;
        }
        return (batch, logits, dLogits) -> distillation.addGradient(logits, previous.output(batch.features()), groups,
                dLogits);
    }
}
