package org.cllab.core.learners;

import java.io.IOException;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.TaskData;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.loop.TrainingHook;
import org.cllab.core.parts.ClassBalancedBuffer;
import org.cllab.core.parts.ReplayBuffer;
import org.cllab.core.parts.ReservoirBuffer;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * Experience replay (Chaudhry et al. 2019, "On tiny episodic memories"; Rolnick et al. 2019) as a training hook: a
 * buffer of fixed total size holds samples of earlier tasks; every step's minibatch is extended by a minibatch drawn
 * from it ({@link #transform}, from {@code Rng(learnerSeed, "replay/task-t")}). After a task, its samples are offered
 * to the buffer in the order {@code Rng(learnerSeed, "buffer-order/task-t")} (reservoir sampling, or class-balanced
 * reservoir sampling). The learner sees old data only through this buffer. State (prefix {@code replay}): the
 * buffer's contents and its generator.
 */
public final class ReplayHook implements TrainingHook {
    /**
     * @param capacity      total buffer size (samples)
     * @param replayBatch   replayed samples per step (0 = the minibatch size)
     * @param classBalanced class-balanced reservoir sampling instead of plain reservoir sampling
     */
    public record Settings(int capacity, int replayBatch, boolean classBalanced) implements MlpHook {
        @Override
        public TrainingHook create(MlpClassifier model, LearnerContext context) {
            return new ReplayHook(this, context.scenario().featureDim(),
                    replayBatch > 0 ? replayBatch : model.spec().batchSize(), context.seed());
        }
    }

    private final ReplayBuffer buffer;
    private final int replayBatch;
    private Rng replayDraw;

    /**
     * @param featureDim  sample size
     * @param replayBatch replayed samples per step
     * @param seed        the learner seed ({@code "buffer"} generator)
     */
    public ReplayHook(Settings settings, int featureDim, int replayBatch, long seed) {
        Rng bufferRng = Rng.forComponent(seed, "buffer");
        this.buffer = settings.classBalanced() ? new ClassBalancedBuffer(settings.capacity(), featureDim, bufferRng)
                : new ReservoirBuffer(settings.capacity(), featureDim, bufferRng);
        this.replayBatch = replayBatch;
    }

    @Override
    public String name() {
        return "replay";
    }

    public ReplayBuffer buffer() {
        return buffer;
    }

    @Override
    public void beforeTask(TaskScope task) {
        replayDraw = Rng.forComponent(task.seed(), "replay/task-" + task.index());
    }

    @Override
    public Minibatch transform(Minibatch batch) {
        return buffer.size() == 0 ? batch : batch.concat(buffer.sample(replayBatch, replayDraw));
    }

    @Override
    public void afterTask(TaskScope task) {
        fill(task.task(), task.data(), task.seed());
    }

    private void fill(TaskInfo task, TaskData data, long seed) {
        int[] order = Rng.forComponent(seed, "buffer-order/task-" + task.index()).permutation(data.size());
        float[] x = new float[data.featureDim()];
        for (int i : order) {
            data.copyFeatures(i, x, 0);
            buffer.offer(x, 0, data.classLabel(i), data.localLabel(i), task.index());
        }
    }

    @Override
    public void save(String prefix, StateWriter out) throws IOException {
        buffer.save(prefix, out);
    }

    @Override
    public void load(String prefix, StateReader in) {
        buffer.load(prefix, in);
    }
}
