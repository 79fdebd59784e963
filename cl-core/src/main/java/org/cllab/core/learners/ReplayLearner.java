package org.cllab.core.learners;

import java.io.IOException;
import java.util.List;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.data.TaskData;
import org.cllab.core.parts.ClassBalancedBuffer;
import org.cllab.core.parts.ReplayBuffer;
import org.cllab.core.parts.ReservoirBuffer;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * Experience replay (Chaudhry et al. 2019, "On tiny episodic memories"; Rolnick et al. 2019): a buffer of fixed
 * total size holds samples of earlier tasks; every training step appends a minibatch drawn from it to the current
 * minibatch. After a task, its samples are offered to the buffer in a random order (reservoir sampling, or
 * class-balanced reservoir sampling). The learner sees old data only through its own buffer.
 */
public final class ReplayLearner extends AbstractMlpLearner implements TaskAwareLearner {
    private final ReplayBuffer buffer;
    private final int replayBatch;
    private Rng replayDraw;

    /**
     * @param capacity      total buffer size (samples)
     * @param replayBatch   replayed samples per step (0 = the minibatch size)
     * @param classBalanced class-balanced reservoir sampling instead of plain reservoir sampling
     */
    public ReplayLearner(MlpLearnerSpec spec, int capacity, int replayBatch, boolean classBalanced,
                         LearnerContext context) {
        super(spec, context);
        Rng bufferRng = Rng.forComponent(context.seed(), "buffer");
        int dim = context.scenario().featureDim();
        this.buffer = classBalanced ? new ClassBalancedBuffer(capacity, dim, bufferRng)
                : new ReservoirBuffer(capacity, dim, bufferRng);
        this.replayBatch = replayBatch > 0 ? replayBatch : spec.batchSize();
    }

    public ReplayBuffer buffer() {
        return buffer;
    }

    @Override
    public void learn(TrainingExperience e) {
        replayDraw = Rng.forComponent(context.seed(), "replay/task-" + e.taskIndex());
        fit(e.task(), new MinibatchSampler(List.of(e.task()), List.of(e.data())));
        fill(e.task(), e.data());
    }

    @Override
    protected double trainStep(TaskInfo task, Minibatch batch) {
        Minibatch b = buffer.size() == 0 ? batch : batch.concat(buffer.sample(replayBatch, replayDraw));
        return super.trainStep(task, b);
    }

    private void fill(TaskInfo task, TaskData data) {
        int[] order = Rng.forComponent(context.seed(), "buffer-order/task-" + task.index()).permutation(data.size());
        float[] x = new float[data.featureDim()];
        for (int i : order) {
            data.copyFeatures(i, x, 0);
            buffer.offer(x, 0, data.classLabel(i), data.localLabel(i), task.index());
        }
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        super.saveState(out);
        buffer.save("replay", out);
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        super.loadState(in);
        buffer.load("replay", in);
    }
}
