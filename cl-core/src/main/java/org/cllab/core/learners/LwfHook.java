package org.cllab.core.learners;

import java.util.ArrayList;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.loop.OutputTerm;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.loop.TrainingHook;
import org.cllab.core.nn.Mlp;
import org.cllab.core.parts.Distillation;

/**
 * Learning without Forgetting (Li &amp; Hoiem, TPAMI 2017) as a training hook: before task {@code t} the network is
 * copied and frozen; while learning {@code t} the new network's softened outputs for the old classes (old heads, or
 * the shared head) are distilled towards the frozen copy's on the current minibatch, as an {@link OutputTerm}. Needs
 * no stored data; the frozen copy is rebuilt from the current parameters at the start of every task, so the hook has
 * no checkpoint state.
 */
public final class LwfHook implements TrainingHook {
    /**
     * @param temperature softmax temperature of the distillation
     * @param alpha       weight of the distillation loss
     */
    public record Settings(double temperature, double alpha) implements MlpHook {
        @Override
        public TrainingHook create(MlpClassifier model, LearnerContext context) {
            return new LwfHook(this, model, context.scenario());
        }
    }

    private final Distillation distillation;
    private final MlpClassifier model;
    private final ScenarioInfo scenario;
    private Mlp previous;
    private int[][] groups;

    public LwfHook(Settings settings, MlpClassifier model, ScenarioInfo scenario) {
        this.distillation = new Distillation(settings.temperature(), settings.alpha());
        this.model = model;
        this.scenario = scenario;
    }

    @Override
    public String name() {
        return "lwf";
    }

    @Override
    public void beforeTask(TaskScope task) {
        int t = task.index();
        previous = t == 0 ? null : model.network().copy();
        groups = t == 0 ? null : oldGroups(scenario, model.layout(), t);
    }

    @Override
    public OutputTerm outputTerm() {
        if (previous == null) {
            return null;
        }
        return (batch, logits, dLogits) -> distillation.addGradient(logits, previous.output(batch.features()), groups,
                dLogits);
    }

    @Override
    public void afterTask(TaskScope task) {
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
}
